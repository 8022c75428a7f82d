package org.pasarela.bridge;

import java.util.Objects;

/**
 * Where the SIP side wants its RTP and RTCP. {@code 0.0.0.0} is kept as given: it means hold (RFC 3264 §8.4) and
 * the relay must not send there.
 */
public record SipRemoteMedia(String address, int rtpPort, int rtcpPort, boolean rtcpMux) {

    public SipRemoteMedia {
        Objects.requireNonNull(address, "address");
        if (address.isBlank()) throw new IllegalArgumentException("address is blank");
        if (rtpPort < 1 || rtpPort > 65535) throw new IllegalArgumentException("rtpPort " + rtpPort + " is outside 1-65535");
        if (rtcpPort < 1 || rtcpPort > 65535) {
            throw new IllegalArgumentException("rtcpPort " + rtcpPort + " is outside 1-65535");
        }
        if (rtcpMux && rtcpPort != rtpPort) throw new IllegalArgumentException("rtcp-mux needs rtcpPort == rtpPort");
    }

    /** True for the RFC 3264 §8.4 hold address, to which nothing may be sent. */
    public boolean isHold() {
        return address.equals("0.0.0.0") || address.equals("::");
    }
}

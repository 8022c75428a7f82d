package org.pasarela.sdp;

import java.util.Objects;

/**
 * The {@code o=} line (RFC 8866 §5.2). Session id and version are kept as the strings that were written: RFC 8866
 * asks for digits, but they are only ever compared, and some equipment uses values wider than a {@code long}.
 */
public record Origin(String username, String sessionId, String sessionVersion, String netType, String addrType,
                     String address) {

    public Origin {
        SdpText.requireToken(Objects.requireNonNull(username, "username"), "o= username");
        SdpText.requireToken(Objects.requireNonNull(sessionId, "sessionId"), "o= sess-id");
        SdpText.requireToken(Objects.requireNonNull(sessionVersion, "sessionVersion"), "o= sess-version");
        SdpText.requireToken(Objects.requireNonNull(netType, "netType"), "o= nettype");
        SdpText.requireToken(Objects.requireNonNull(addrType, "addrType"), "o= addrtype");
        SdpText.requireToken(Objects.requireNonNull(address, "address"), "o= unicast-address");
    }

    public static Origin of(long sessionId, long sessionVersion, String addrType, String address) {
        return new Origin("-", Long.toString(sessionId), Long.toString(sessionVersion), "IN", addrType, address);
    }

    /** The text after {@code o=}. */
    @Override
    public String toString() {
        return username + " " + sessionId + " " + sessionVersion + " " + netType + " " + addrType + " " + address;
    }
}

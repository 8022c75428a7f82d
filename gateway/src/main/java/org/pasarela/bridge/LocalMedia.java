package org.pasarela.bridge;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The gateway's own media parameters for one call, allocated by the media layer and injected into the SDP
 * translation so its output is deterministic.
 *
 * @param address           media address (IPv4 or IPv6 literal) put in c=, o= and the ICE host candidate
 * @param browserPort       UDP port toward the browser: ICE + DTLS-SRTP with rtcp-mux (RFC 8834)
 * @param sipRtpPort        even UDP port for plain RTP toward SIP; RTCP uses {@code sipRtpPort + 1} (RFC 3550 §11)
 * @param iceUfrag          ICE username fragment, 4-256 ice-chars (RFC 8839 §5.4)
 * @param icePwd            ICE password, 22-256 ice-chars (RFC 8839 §5.4)
 * @param fingerprintSha256 SHA-256 of the DTLS certificate: 32 upper-case hex bytes separated by colons
 * @param sessionId         o= sess-id for both SDPs the gateway writes
 * @param sessionVersion    o= sess-version; the caller increments it for each new SDP in a session
 */
public record LocalMedia(String address, int browserPort, int sipRtpPort, String iceUfrag, String icePwd,
                         String fingerprintSha256, long sessionId, long sessionVersion) {

    private static final Pattern ICE_CHARS = Pattern.compile("[A-Za-z0-9+/]+");
    private static final Pattern SHA256 = Pattern.compile("[0-9A-F]{2}(:[0-9A-F]{2}){31}");

    public LocalMedia {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(iceUfrag, "iceUfrag");
        Objects.requireNonNull(icePwd, "icePwd");
        Objects.requireNonNull(fingerprintSha256, "fingerprintSha256");
        if (!IpLiteral.isIpv4(address) && !IpLiteral.isIpv6(address)) {
            throw new IllegalArgumentException("address \"" + address + "\" is not an IPv4 or IPv6 literal");
        }
        if (browserPort < 1 || browserPort > 65535) {
            throw new IllegalArgumentException("browserPort " + browserPort + " is outside 1-65535");
        }
        if (sipRtpPort < 2 || sipRtpPort > 65534 || sipRtpPort % 2 != 0) {
            throw new IllegalArgumentException("sipRtpPort " + sipRtpPort + " must be even and within 2-65534");
        }
        if (iceUfrag.length() < 4 || iceUfrag.length() > 256 || !ICE_CHARS.matcher(iceUfrag).matches()) {
            throw new IllegalArgumentException("iceUfrag \"" + iceUfrag + "\" must be 4-256 ice-chars");
        }
        if (icePwd.length() < 22 || icePwd.length() > 256 || !ICE_CHARS.matcher(icePwd).matches()) {
            throw new IllegalArgumentException("icePwd must be 22-256 ice-chars, got " + icePwd.length() + " chars");
        }
        if (!SHA256.matcher(fingerprintSha256).matches()) {
            throw new IllegalArgumentException("fingerprintSha256 \"" + fingerprintSha256
                    + "\" must be 32 upper-case hex bytes separated by colons");
        }
        if (sessionId < 0 || sessionVersion < 0) {
            throw new IllegalArgumentException("sessionId and sessionVersion must not be negative");
        }
    }

    /** {@code IP4} or {@code IP6}, as c= and o= spell the address type. */
    public String addrType() {
        return address.indexOf(':') >= 0 ? "IP6" : "IP4";
    }

    public LocalMedia withSessionVersion(long newSessionVersion) {
        return new LocalMedia(address, browserPort, sipRtpPort, iceUfrag, icePwd, fingerprintSha256, sessionId,
                newSessionVersion);
    }
}

package org.pasarela.transport.sip;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Small text chores every SIP client here shares: random tags and cnonces, header values, failure messages, SDP
 * bodies.
 */
final class SipText {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SipText() {}

    /** {@code bytes} random bytes as lower-case hex: From tags (RFC 3261 §19.3 wants 32 bits at least), cnonces. */
    static String randomHex(int bytes) {
        byte[] out = new byte[bytes];
        RANDOM.nextBytes(out);
        return HexFormat.of().formatHex(out);
    }

    /** "Proxy-Authenticate: Digest realm=..." -> "Digest realm=..." */
    static String headerValue(String header) {
        int colon = header.indexOf(':');
        return (colon < 0 ? header : header.substring(colon + 1)).trim();
    }

    /** The innermost cause's message: JAIN-SIP wraps the useful one ("Connection refused") several times. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /**
     * A message's SDP body, or null when it has none. A body of another type (multipart, sipfrag) is not SDP: null
     * too; a body without Content-Type is taken as SDP, as RFC 3261 §7.4.1 lets a UA infer it.
     */
    static String sdpBody(javax.sip.message.Message message) {
        byte[] raw = message.getRawContent();
        if (raw == null || raw.length == 0) {
            return null;
        }
        Object type = message.getHeader(javax.sip.header.ContentTypeHeader.NAME);
        if (type instanceof javax.sip.header.ContentTypeHeader contentType
                && !("application".equalsIgnoreCase(contentType.getContentType())
                && "sdp".equalsIgnoreCase(contentType.getContentSubType()))) {
            return null;
        }
        return new String(raw, StandardCharsets.UTF_8);
    }
}

package org.pasarela.transport.sip;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Small text chores every SIP client here shares: random tags and cnonces, header values, failure messages. */
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
}

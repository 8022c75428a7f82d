package org.pasarela.transport.ice;

import java.security.SecureRandom;

/**
 * The gateway's ICE username fragment and password for one call (RFC 8445 §5.3).
 *
 * <p>RFC 8839 §5.4 asks for at least 24 bits of randomness in the ufrag and 128 in the password; we use 8 and 24
 * ice-chars (48 and 144 bits), drawn from a {@link SecureRandom} because the password authenticates every STUN
 * check and so guards the call's media port.
 */
public record IceCredentials(String ufrag, String pwd) {
    private static final char[] ICE_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    public IceCredentials {
        if (ufrag.length() < 4 || ufrag.length() > 256) {
            throw new IllegalArgumentException("ICE ufrag must be 4..256 characters, got " + ufrag.length());
        }
        if (pwd.length() < 22 || pwd.length() > 256) {
            throw new IllegalArgumentException("ICE password must be 22..256 characters, got " + pwd.length());
        }
    }

    public static IceCredentials random(SecureRandom random) {
        return new IceCredentials(randomIceChars(random, 8), randomIceChars(random, 24));
    }

    private static String randomIceChars(SecureRandom random, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ICE_CHARS[random.nextInt(ICE_CHARS.length)];
        }
        return new String(out);
    }
}

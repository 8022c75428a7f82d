package org.pasarela.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) over the JCA "SHA-1" MessageDigest. javax.crypto.Mac allocates its result array on every
 * doFinal (40 bytes a packet in JDK 17); MessageDigest.digest(byte[], int, int) writes into our buffer, so this
 * runs allocation-free at the same speed. Not thread-safe; owned by its {@link SrtpContext}.
 */
final class HmacSha1 {
    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest sha1;
    private final byte[] ipad = new byte[BLOCK];
    private final byte[] opad = new byte[BLOCK];
    private final byte[] inner = new byte[LENGTH];

    HmacSha1(byte[] key) {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JCA has no SHA-1", e);
        }
        if (key.length > BLOCK) throw new IllegalArgumentException("HMAC key is " + key.length + " bytes; at most 64");
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            ipad[i] = (byte) (k ^ 0x36);
            opad[i] = (byte) (k ^ 0x5c);
        }
    }

    void start() {
        sha1.reset();
        sha1.update(ipad);
    }

    void update(byte[] buf, int off, int len) {
        sha1.update(buf, off, len);
    }

    /** Writes the 20-byte MAC into {@code out[0, 20)}. */
    void finish(byte[] out) {
        try {
            sha1.digest(inner, 0, LENGTH);
            sha1.update(opad);
            sha1.update(inner, 0, LENGTH);
            sha1.digest(out, 0, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-1 digest refused a 20-byte buffer", e);
        }
    }
}

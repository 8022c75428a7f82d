package org.pasarela.srtp;

import java.security.DigestException;
import java.security.MessageDigest;

/**
 * HMAC-SHA1 (RFC 2104) over the JCA "SHA-1" MessageDigest. javax.crypto.Mac allocates its result array on every
 * doFinal (40 bytes a packet in JDK 17); MessageDigest.digest(byte[], int, int) writes into our buffer, so this
 * runs allocation-free at the same speed. This object holds only the key (as its two padded blocks); the digest and
 * the buffers are the thread's {@link SrtpScratch}, shared by all keys the thread uses. Immutable.
 */
final class HmacSha1 {
    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final byte[] ipad = new byte[BLOCK];
    private final byte[] opad = new byte[BLOCK];

    HmacSha1(byte[] key) {
        if (key.length > BLOCK) throw new IllegalArgumentException("HMAC key is " + key.length + " bytes; at most 64");
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            ipad[i] = (byte) (k ^ 0x36);
            opad[i] = (byte) (k ^ 0x5c);
        }
    }

    /** Starts a MAC in {@code scratch}; feed it with {@code scratch.sha1.update}, then {@link #finish}. */
    void start(SrtpScratch scratch) {
        scratch.sha1.reset();
        scratch.sha1.update(ipad);
    }

    /** Writes the 20-byte MAC of what was fed since {@link #start} into {@code scratch.mac}. */
    void finish(SrtpScratch scratch) {
        MessageDigest sha1 = scratch.sha1;
        try {
            sha1.digest(scratch.inner, 0, LENGTH);
            sha1.update(opad);
            sha1.update(scratch.inner, 0, LENGTH);
            sha1.digest(scratch.mac, 0, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-1 digest refused a 20-byte buffer", e);
        }
    }
}

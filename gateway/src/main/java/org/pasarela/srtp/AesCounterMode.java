package org.pasarela.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in counter mode as RFC 3711 §4.1.1 defines it: block j of the keystream is AES_k(IV + j), with j in the low
 * 16 bits. Built on one "AES/ECB/NoPadding" JCE cipher fed a buffer of counter blocks, because re-initialising an
 * "AES/CTR/NoPadding" cipher per packet needs a new IvParameterSpec and allocates (see SrtpBenchmark). Not
 * thread-safe; owned by its {@link SrtpContext}.
 */
final class AesCounterMode {
    private static final int CHUNK = 1024;

    private final Cipher ecb;
    private final byte[] counters = new byte[CHUNK];
    private final byte[] keystream = new byte[CHUNK];

    AesCounterMode(byte[] key) {
        try {
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCE has no usable AES/ECB/NoPadding", e);
        }
    }

    /** XORs the keystream for the 16-byte {@code iv} (low two bytes zero) into {@code buf[off, off + len)}. */
    void apply(byte[] iv, byte[] buf, int off, int len) {
        int block = 0;
        int done = 0;
        while (done < len) {
            int chunk = Math.min(len - done, CHUNK);
            int bytes = (chunk + 15) & ~15;
            for (int b = 0; b < bytes; b += 16, block++) {
                System.arraycopy(iv, 0, counters, b, 14);
                int j = ((iv[14] & 0xff) << 8 | (iv[15] & 0xff)) + block;
                counters[b + 14] = (byte) (j >>> 8);
                counters[b + 15] = (byte) j;
            }
            try {
                ecb.update(counters, 0, bytes, keystream, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/ECB refused a whole number of blocks", e);
            }
            for (int i = 0; i < chunk; i++) {
                buf[off + done + i] ^= keystream[i];
            }
            done += chunk;
        }
    }
}

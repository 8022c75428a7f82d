package org.pasarela.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in counter mode as RFC 3711 §4.1.1 defines it: block j of the keystream is AES_k(IV + j), with j in the low
 * 16 bits. Built on one "AES/ECB/NoPadding" JCE cipher fed a buffer of counter blocks, because re-initialising an
 * "AES/CTR/NoPadding" cipher per packet needs a new IvParameterSpec and allocates (see SrtpBenchmark). The counter
 * and keystream buffers are the thread's {@link SrtpScratch}; this object holds only the keyed cipher. Not
 * thread-safe; owned by its {@link SrtpContext}.
 */
final class AesCounterMode {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle BIG_ENDIAN_LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final Cipher ecb;

    AesCounterMode(byte[] key) {
        try {
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCE has no usable AES/ECB/NoPadding", e);
        }
    }

    /**
     * XORs the keystream for the 16-byte {@code iv} into {@code buf[off, off + len)}; the IV's low 16 bits are the
     * first block's counter (zero for SRTP packets, RFC 3711 §4.1.1).
     */
    void apply(byte[] iv, byte[] buf, int off, int len) {
        apply(SrtpScratch.current(), iv, buf, off, len);
    }

    /** As {@link #apply(byte[], byte[], int, int)}, with the caller's scratch. */
    void apply(SrtpScratch scratch, byte[] iv, byte[] buf, int off, int len) {
        byte[] counters = scratch.counters;
        byte[] keystream = scratch.keystream;
        // A counter block is the IV with its low 16 bits plus the block number, modulo 2^16.
        long ivHigh = (long) BIG_ENDIAN_LONGS.get(iv, 0);
        long ivLow = (long) BIG_ENDIAN_LONGS.get(iv, 8);
        long fixedLow = ivLow & ~0xFFFFL;
        int first = (int) ivLow & 0xFFFF;
        int block = 0;
        int done = 0;
        while (done < len) {
            int chunk = Math.min(len - done, SrtpScratch.CHUNK);
            int bytes = (chunk + 15) & ~15;
            for (int b = 0; b < bytes; b += 16, block++) {
                BIG_ENDIAN_LONGS.set(counters, b, ivHigh);
                BIG_ENDIAN_LONGS.set(counters, b + 8, fixedLow | ((first + block) & 0xFFFF));
            }
            try {
                ecb.update(counters, 0, bytes, keystream, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/ECB refused a whole number of blocks", e);
            }
            xor(keystream, buf, off + done, chunk);
            done += chunk;
        }
    }

    /**
     * {@code buf[at, at + len) ^= keystream[0, len)}, eight bytes at a time. The plain byte loop is what C2 compiles
     * worst: the same loop ran 160 bytes in 90 ns when called from one method and in 1.3 µs from another (JDK 17;
     * docs/benchmarks.md, finding 9), the slow shape costing more than the AES and the HMAC together. Long-wide
     * reads and writes ran at the fast speed from every caller measured.
     */
    private static void xor(byte[] keystream, byte[] buf, int at, int len) {
        int i = 0;
        for (; i + Long.BYTES <= len; i += Long.BYTES) {
            LONGS.set(buf, at + i, (long) LONGS.get(buf, at + i) ^ (long) LONGS.get(keystream, i));
        }
        for (; i < len; i++) {
            buf[at + i] ^= keystream[i];
        }
    }
}

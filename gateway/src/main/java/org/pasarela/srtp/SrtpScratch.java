package org.pasarela.srtp;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The working buffers and the SHA-1 digest that SRTP needs per packet, one set per thread and shared by every
 * context that thread drives. A relay meets each call's context once every 20 ms, after other calls and other
 * processes have run, so whatever a context owns is cold in the CPU caches by then. Keeping only the keys per
 * context, and the scratch per thread (warm from the previous packet), took a quarter to a third off a cold SRTP
 * operation in SrtpCacheBenchmark (docs/benchmarks.md, finding 9). Nothing here outlives one protect or unprotect
 * call, so sharing it between contexts on one thread is safe; it is never shared between threads.
 */
final class SrtpScratch {
    /** Bytes of keystream made per AES call; a G.711 or Opus packet needs one pass. */
    static final int CHUNK = 1024;

    private static final ThreadLocal<SrtpScratch> PER_THREAD = ThreadLocal.withInitial(SrtpScratch::new);

    final byte[] counters = new byte[CHUNK];
    final byte[] keystream = new byte[CHUNK];
    final byte[] iv = new byte[16];
    final byte[] gcmIv = new byte[12];
    final byte[] mac = new byte[HmacSha1.LENGTH];
    final byte[] inner = new byte[HmacSha1.LENGTH];
    final byte[] word = new byte[4];
    final MessageDigest sha1;

    private SrtpScratch() {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JCA has no SHA-1", e);
        }
    }

    /** This thread's scratch. */
    static SrtpScratch current() {
        return PER_THREAD.get();
    }
}

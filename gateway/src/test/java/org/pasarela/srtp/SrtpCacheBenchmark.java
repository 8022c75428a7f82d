package org.pasarela.srtp;

import java.util.Arrays;

/**
 * Measures SRTP the way a relay meets it rather than in a tight loop: many calls' contexts used in turn, with other
 * work between two packets that pushes their keys and state out of the CPU caches. Each step protects one 172-byte
 * PCMU packet with one call's sender and unprotects it with the same call's receiver, as the relay does once per
 * round trip; the printed figure is per SRTP operation. "Other work" is touching {@code evict} bytes of an
 * unrelated buffer, outside the timed part. Not a test: run {@code java -cp
 * gateway/target/test-classes:gateway/target/classes org.pasarela.srtp.SrtpCacheBenchmark [steps]}.
 */
public final class SrtpCacheBenchmark {
    private static final int PACKET = 172;

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int[][] cases = {{1, 0}, {200, 0}, {2000, 0}, {1, 1 << 20}, {200, 1 << 20}, {200, 4 << 20}};
        System.out.printf("java %s; %d steps per case, ns per SRTP operation (half a protect+unprotect step)%n",
                System.getProperty("java.version"), steps);
        for (int round = 0; round < 2; round++) {
            if (round == 1) System.out.printf("%8s %12s %12s%n", "calls", "evict bytes", "ns/op");
            for (int[] c : cases) {
                double ns = measure(c[0], c[1], steps);
                if (round == 1) System.out.printf("%8d %12d %12.0f%n", c[0], c[1], ns);
            }
        }
    }

    private static double measure(int calls, int evictBytes, int steps) {
        SrtpTransformer[] senders = new SrtpTransformer[calls];
        SrtpTransformer[] receivers = new SrtpTransformer[calls];
        byte[] material = new byte[SrtpProfile.AES_CM_128_HMAC_SHA1_80.keyingMaterialLength()];
        for (int i = 0; i < calls; i++) {
            for (int b = 0; b < material.length; b++) material[b] = (byte) (31 * b + 7 * i + 5);
            senders[i] = SrtpTransformer.fromDtlsKeyingMaterial(SrtpProfile.AES_CM_128_HMAC_SHA1_80, material, true);
            receivers[i] = SrtpTransformer.fromDtlsKeyingMaterial(SrtpProfile.AES_CM_128_HMAC_SHA1_80, material, false);
        }
        byte[] evict = new byte[Math.max(evictBytes, 64)];
        byte[] work = new byte[256];
        int[] seq = new int[calls];
        long srtp = 0;
        for (int step = 0; step < steps; step++) {
            int call = step % calls;
            if (evictBytes > 0) touch(evict, step);
            long t1 = System.nanoTime();
            Arrays.fill(work, 12, PACKET, (byte) step);
            work[0] = (byte) 0x80;
            int s = seq[call]++;
            work[2] = (byte) (s >>> 8);
            work[3] = (byte) s;
            work[8] = (byte) call;
            int len = senders[call].protect(work, 0, PACKET);
            if (len < 0 || receivers[call].unprotect(work, 0, len) != PACKET) {
                throw new IllegalStateException("SRTP round trip failed at step " + step);
            }
            long t2 = System.nanoTime();
            srtp += t2 - t1;
        }
        return srtp / (2.0 * steps);
    }

    /** Writes one byte in every cache line of {@code buf}, as another process's work would. */
    private static void touch(byte[] buf, int step) {
        for (int i = 0; i < buf.length; i += 64) buf[i] += (byte) step;
    }
}

package org.pasarela.srtp;

import java.lang.management.ManagementFactory;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Prints ns/op and bytes allocated/op for protect and unprotect of a 172-byte PCMU RTP packet (12-byte header,
 * 160-byte payload) under each profile, then the JCE building blocks the design chose between. Not a test: run
 * {@code mvn -q -B -o test-compile && java -cp gateway/target/test-classes:gateway/target/classes
 * org.pasarela.srtp.SrtpBenchmark [ops]}.
 */
public final class SrtpBenchmark {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int PACKET = 172;
    private static final int BATCH = 8192;

    interface Op { void run(int i) throws Exception; }

    public static void main(String[] args) throws Exception {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        System.out.printf("java %s, %s%n", System.getProperty("java.version"), System.getProperty("os.arch"));
        for (int round = 0; round < 2; round++) {    // round 0 warms the JIT; round 1 is printed
            boolean print = round == 1;
            if (print) System.out.printf("%-34s %-36s %-10s %9s %9s%n", "implementation", "profile", "op", "ns/op", "bytes/op");
            for (SrtpProfile profile : SrtpProfile.values()) benchmarkProfile(profile, ops, print);
            benchmarkPrimitives(ops, print);
        }
    }

    private static void benchmarkProfile(SrtpProfile profile, int ops, boolean print) {
        byte[] material = new byte[profile.keyingMaterialLength()];
        for (int i = 0; i < material.length; i++) material[i] = (byte) (31 * i + 5);
        byte[] plain = new byte[PACKET];
        plain[0] = (byte) 0x80;
        plain[8] = (byte) 0xca; plain[9] = (byte) 0xfe; plain[10] = (byte) 0xba; plain[11] = (byte) 0xbe;
        Arrays.fill(plain, 12, PACKET, (byte) 0xff);
        byte[] work = new byte[256];

        // protect: one sender, consecutive sequence numbers (wrapping moves the ROC as in a long call)
        SrtpTransformer sender = SrtpTransformer.fromDtlsKeyingMaterial(profile, material, true);
        int[] seq = {0};
        Op protect = i -> {
            System.arraycopy(plain, 0, work, 0, PACKET);
            int s = seq[0]++;
            work[2] = (byte) (s >>> 8);
            work[3] = (byte) s;
            if (sender.protect(work, 0, PACKET) < 0) throw new IllegalStateException("protect failed");
        };
        measure(protect, ops / 5, 0);
        long[] result = measure(protect, ops, 0);
        if (print) row("pasarela (JCE)", profile, "protect", result, ops);

        // unprotect: batches of pre-protected consecutive packets, a fresh receiver per batch (built untimed)
        SrtpTransformer batchSender = SrtpTransformer.fromDtlsKeyingMaterial(profile, material, true);
        byte[][] batch = new byte[BATCH][];
        for (int i = 0; i < BATCH; i++) {
            System.arraycopy(plain, 0, work, 0, PACKET);
            work[2] = (byte) (i >>> 8);
            work[3] = (byte) i;
            batch[i] = Arrays.copyOf(work, batchSender.protect(work, 0, PACKET));
        }
        long ns = 0, bytes = 0;
        int measured = 0;
        for (int done = 0; done < ops + ops / 5; done += BATCH) {
            SrtpTransformer receiver = SrtpTransformer.fromDtlsKeyingMaterial(profile, material, false);
            Op unprotect = i -> {
                byte[] p = batch[i];
                System.arraycopy(p, 0, work, 0, p.length);
                if (receiver.unprotect(work, 0, p.length) != PACKET) throw new IllegalStateException("unprotect failed");
            };
            long[] r = measure(unprotect, BATCH, 0);
            if (done >= ops / 5) {
                ns += r[0];
                bytes += r[1];
                measured += BATCH;
            }
        }
        if (print) row("pasarela (JCE)", profile, "unprotect", new long[] {ns, bytes}, measured);
    }

    /** The alternatives behind SrtpContext's choices, each on 160 bytes of payload. */
    private static void benchmarkPrimitives(int ops, boolean print) throws Exception {
        SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
        byte[] data = new byte[256];
        byte[] out = new byte[256];
        byte[] iv = new byte[16];
        byte[] gcmIv = new byte[12];

        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, key);
        Op ecbKeystream = i -> { iv[13] = (byte) i; ecb.update(data, 0, 160, out, 0); };
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
        Op ctrReinit = i -> {
            iv[13] = (byte) i;
            ctr.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            ctr.doFinal(data, 12, 160, data, 12);
        };
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(new byte[20], "HmacSHA1"));
        Op jceMac = i -> { mac.update(data, 0, 176); mac.doFinal(out, 0); };
        HmacSha1 ours = new HmacSha1(new byte[20]);
        SrtpScratch scratch = SrtpScratch.current();
        Op digestMac = i -> { ours.start(scratch); scratch.sha1.update(data, 0, 176); ours.finish(scratch); };
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        Op gcmSeal = i -> {
            gcmIv[8] = (byte) (i >>> 24); gcmIv[9] = (byte) (i >>> 16); gcmIv[10] = (byte) (i >>> 8); gcmIv[11] = (byte) i;
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, gcmIv));
            gcm.updateAAD(data, 0, 12);
            gcm.doFinal(data, 12, 160, data, 12);
        };
        Object[][] cases = {
            {"AES/ECB keystream, 10 blocks", ecbKeystream},
            {"AES/CTR init(new IvParameterSpec)", ctrReinit},
            {"Mac HmacSHA1 doFinal(out, 0)", jceMac},
            {"HMAC-SHA1 over MessageDigest", digestMac},
            {"AES/GCM init(new GCMParameterSpec)", gcmSeal},
        };
        for (Object[] c : cases) {
            Op op = (Op) c[1];
            measure(op, ops / 5, 0);
            long[] r = measure(op, ops, 0);
            if (print) System.out.printf("%-34s %-36s %-10s %9.0f %9.1f%n", "JCE primitive", c[0], "160 B", r[0] / (double) ops, r[1] / (double) ops);
        }
    }

    private static long[] measure(Op op, int n, int start) {
        try {
            long bytes = THREADS.getCurrentThreadAllocatedBytes();
            long t0 = System.nanoTime();
            for (int i = start; i < start + n; i++) op.run(i);
            long t1 = System.nanoTime();
            return new long[] {t1 - t0, THREADS.getCurrentThreadAllocatedBytes() - bytes};
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void row(String impl, SrtpProfile profile, String op, long[] result, int ops) {
        System.out.printf("%-34s %-36s %-10s %9.0f %9.1f%n", impl, profile, op, result[0] / (double) ops, result[1] / (double) ops);
    }
}

package org.pasarela.benchmarks;

import java.lang.management.ManagementFactory;
import org.jitsi.srtp.*;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.utils.ByteArrayBuffer;
import org.jitsi.utils.logging2.LoggerImpl;

public final class JitsiSrtpBenchmark {
    static final com.sun.management.ThreadMXBean TMX = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    static final byte[] KEY = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    static final byte[] SALT = hex("0EC675AD498AFEEBB6960B3AABE6");
    static final byte[] GCM_SALT = hex("0EC675AD498AFEEBB6960B3A");
    static final int SSRC = 0xcafebabe;

    static final class Buf implements ByteArrayBuffer {
        byte[] b; int off, len;
        Buf(byte[] b) { this.b = b; }
        public byte[] getBuffer() { return b; }
        public int getOffset() { return off; }
        public int getLength() { return len; }
        public void setLength(int l) { len = l; }
        public void setOffset(int o) { off = o; }
        public void setOffsetLength(int o, int l) { off = o; len = l; }
        public boolean isInvalid() { return false; }
        public void readRegionToBuff(int o, int l, byte[] out) { System.arraycopy(b, off + o, out, 0, l); }
        public void grow(int n) { if (len + n > b.length - off) throw new IllegalStateException("grow"); }
        public void append(byte[] d, int l) { grow(l); System.arraycopy(d, 0, b, off + len, l); len += l; }
        public void shrink(int l) { len = Math.max(0, len - l); }
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "default";
        if (mode.equals("SunJCE")) Aes.setFactoryClassName("SunJCE");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        for (int round = 0; round < 2; round++) {
        quiet = round == 0;
        if (!quiet) System.out.printf("%-28s %-36s %-10s %10s %12s%n", "implementation", "profile", "op", "ns/op", "bytes/op");
        run("jitsi-srtp(" + mode + ")", "AES_CM_128_HMAC_SHA1_80",
            new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14), SALT, n);
        run("jitsi-srtp(" + mode + ")", "AES_CM_128_HMAC_SHA1_32",
            new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 4, 14), SALT, n);
        run("jitsi-srtp(" + mode + ")", "AEAD_AES_128_GCM",
            new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, 16, SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12), GCM_SALT, n);
        }
    }
    static boolean quiet;

    static void run(String impl, String profile, SrtpPolicy policy, byte[] salt, int n) throws Exception {
        var log = new LoggerImpl("bench");
        var sendF = new SrtpContextFactory(true, KEY, salt, policy, policy, log);
        var recvF = new SrtpContextFactory(false, KEY, salt, policy, policy, log);
        byte[] plain = new byte[172];
        plain[0] = (byte) 0x80; plain[1] = 0;
        plain[8] = (byte) 0xca; plain[9] = (byte) 0xfe; plain[10] = (byte) 0xba; plain[11] = (byte) 0xbe;
        for (int i = 12; i < 172; i++) plain[i] = (byte) 0xff;
        byte[] work = new byte[256];
        Buf buf = new Buf(work);
        // protect: sequential seq numbers (wrap -> ROC increments), one sender context
        SrtpCryptoContext tx = sendF.deriveContext(SSRC, 0);
        int warm = 200_000;
        int seq = 0;
        for (int i = 0; i < warm; i++) { protectOne(tx, plain, buf, seq++); }
        long a0 = TMX.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) { protectOne(tx, plain, buf, seq++); }
        long t1 = System.nanoTime();
        long a1 = TMX.getCurrentThreadAllocatedBytes();
        print(impl, profile, "protect", (t1 - t0) / (double) n, (a1 - a0) / (double) n);

        // unprotect: batches of B pre-protected consecutive packets, a fresh receiver context per batch (outside timing)
        int B = 8192;
        int plen = 0;
        byte[][] batch = new byte[B][];
        SrtpCryptoContext tx2 = sendF.deriveContext(SSRC, 0);
        for (int i = 0; i < B; i++) { protectOne(tx2, plain, buf, i); batch[i] = java.util.Arrays.copyOf(work, buf.len); }
        long ns = 0, bytes = 0; int ops = 0, fails = 0;
        int total = warm + n;
        int done = 0;
        while (done < total) {
            SrtpCryptoContext rx = recvF.deriveContext(SSRC, 0);
            boolean measure = done >= warm;
            long aa = TMX.getCurrentThreadAllocatedBytes();
            long ta = System.nanoTime();
            for (int i = 0; i < B; i++) {
                byte[] p = batch[i];
                System.arraycopy(p, 0, work, 0, p.length);
                buf.off = 0; buf.len = p.length;
                if (rx.reverseTransformPacket(buf, false) != SrtpErrorStatus.OK) fails++;
            }
            long tb = System.nanoTime();
            long ab = TMX.getCurrentThreadAllocatedBytes();
            if (measure) { ns += tb - ta; bytes += ab - aa; ops += B; }
            done += B;
        }
        if (fails != 0) throw new IllegalStateException(fails + " unprotect failures");
        print(impl, profile, "unprotect", ns / (double) ops, bytes / (double) ops);
    }

    static void protectOne(SrtpCryptoContext tx, byte[] plain, Buf buf, int seq) throws Exception {
        System.arraycopy(plain, 0, buf.b, 0, plain.length);
        buf.b[2] = (byte) (seq >> 8); buf.b[3] = (byte) seq;
        buf.off = 0; buf.len = plain.length;
        if (tx.transformPacket(buf) != SrtpErrorStatus.OK) throw new IllegalStateException("protect");
    }

    static void print(String impl, String profile, String op, double ns, double bytes) {
        if (quiet) return;
        System.out.printf("%-28s %-36s %-10s %10.0f %12.1f%n", impl, profile, op, ns, bytes);
    }

    static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return b;
    }
}

package org.pasarela.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * AesCounterMode XORs its keystream eight bytes at a time with a byte-wise tail; these pin every split of offset
 * and length against the JDK's own AES/CTR (which, for fewer than 2^16 blocks from an IV whose low 16 bits are
 * zero, is RFC 3711's counter mode).
 */
class AesCounterModeTest {
    private static final byte[] KEY = hex("2b7e151628aed2a6abf7158809cf4f3c");
    private static final byte[] IV = hex("f0f1f2f3f4f5f6f7f8f9fafbfcfd0000");

    @Test
    void matchesJceCounterModeAtEveryOffsetAndLengthAroundTheEightByteSteps() throws Exception {
        AesCounterMode ours = new AesCounterMode(KEY);
        Random random = new Random(7);
        for (int off = 0; off < 10; off++) {
            for (int len = 0; len <= 72; len++) {
                byte[] data = new byte[off + len + 9];
                random.nextBytes(data);
                byte[] expected = data.clone();
                jceCtr(expected, off, len);
                ours.apply(IV, data, off, len);
                assertThat(data).as("offset %d, length %d", off, len).isEqualTo(expected);
            }
        }
    }

    @Test
    void matchesJceCounterModeAcrossSeveralKeystreamChunks() throws Exception {
        int len = 3 * SrtpScratch.CHUNK + 13;
        byte[] data = new byte[len + 5];
        new Random(11).nextBytes(data);
        byte[] expected = data.clone();
        jceCtr(expected, 3, len);
        new AesCounterMode(KEY).apply(IV, data, 3, len);
        assertThat(data).isEqualTo(expected);
    }

    @Test
    void twoKeysInterleavedOnOneThreadDoNotDisturbEachOther() throws Exception {
        AesCounterMode first = new AesCounterMode(KEY);
        AesCounterMode second = new AesCounterMode(hex("000102030405060708090a0b0c0d0e0f"));
        byte[] a = new byte[160];
        byte[] b = new byte[160];
        first.apply(IV, a, 0, 100);
        second.apply(IV, b, 0, 160);
        first.apply(IV, a, 100, 60);   // the same IV again: keystream block 0 onwards over bytes 100..159

        byte[] expected = new byte[160];
        jceCtr(expected, 0, 100);
        byte[] tail = new byte[60];
        jceCtr(tail, 0, 60);
        System.arraycopy(tail, 0, expected, 100, 60);
        assertThat(a).isEqualTo(expected);
    }

    @Test
    void theBlockCounterWrapsWithinTheLow16BitsOfTheIv() throws Exception {
        byte[] iv = IV.clone();
        iv[14] = (byte) 0xFF;
        iv[15] = (byte) 0xFE;
        byte[] data = new byte[48];
        new AesCounterMode(KEY).apply(iv, data, 0, 48);

        // Blocks FFFE, FFFF, then 0000 with the upper 112 bits unchanged (JCE's CTR would carry into them).
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"));
        byte[] counters = new byte[48];
        int[] low = {0xFFFE, 0xFFFF, 0x0000};
        for (int b = 0; b < 3; b++) {
            System.arraycopy(iv, 0, counters, 16 * b, 14);
            counters[16 * b + 14] = (byte) (low[b] >>> 8);
            counters[16 * b + 15] = (byte) low[b];
        }
        assertThat(data).isEqualTo(ecb.doFinal(counters));
    }

    private static void jceCtr(byte[] buf, int off, int len) throws Exception {
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
        ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new IvParameterSpec(IV));
        byte[] keystream = ctr.doFinal(new byte[len]);
        for (int i = 0; i < len; i++) buf[off + i] ^= keystream[i];
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return out;
    }
}

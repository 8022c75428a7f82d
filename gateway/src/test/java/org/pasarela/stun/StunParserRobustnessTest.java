package org.pasarela.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * {@link StunParser} on hostile bytes: whatever arrives on the media socket, parsing either yields a message whose
 * every accessor works, or throws {@link StunException}. Nothing else (no IndexOutOfBounds, no NegativeArraySize).
 */
class StunParserRobustnessTest {
    private static final long SEED = 0x5354554eL;
    private static final int ITERATIONS = 20_000;

    @Test
    void randomMutationsOfEveryVectorParseOrFailWithStunException() {
        List<StunVectors> seeds = StunVectors.all();
        Random random = new Random(SEED);
        StunIntegrity integrity = StunIntegrity.forPassword("VOkJxbRl1RmTxUk/WvJxBt");
        int parsed = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] original = seeds.get(random.nextInt(seeds.size())).bytes();
            byte[] mutated = mutate(original, random);
            int off = random.nextInt(3);
            byte[] framed = new byte[mutated.length + off + random.nextInt(3)];
            System.arraycopy(mutated, 0, framed, off, mutated.length);
            if (tryParse(framed, off, mutated.length, integrity, i)) {
                parsed++;
            }
        }
        // Both outcomes are exercised: some mutations keep a valid message (e.g. a flipped MI byte), most do not.
        assertThat(parsed).isBetween(1, ITERATIONS - 1);
    }

    @Test
    void everyTruncationIsRefused() {
        for (StunVectors v : StunVectors.all()) {
            byte[] b = v.bytes();
            for (int len = 0; len < b.length; len++) {
                int n = len;
                assertThat(tryParse(b, 0, n, null, n)).as(v + " cut to " + n).isFalse();
            }
        }
    }

    @Test
    void everyTruncationWithARepairedLengthFieldIsRefusedOrStillConsistent() {
        StunIntegrity integrity = StunIntegrity.forPassword("VOkJxbRl1RmTxUk/WvJxBt");
        for (StunVectors v : StunVectors.all()) {
            for (int len = 20; len < v.bytes().length; len += 4) {
                byte[] b = Arrays.copyOf(v.bytes(), len);
                b[2] = (byte) ((len - 20) >> 8);
                b[3] = (byte) (len - 20);
                // Cutting at an attribute boundary before FINGERPRINT leaves a valid message without it.
                tryParse(b, 0, len, integrity, len);
            }
        }
    }

    @Test
    void randomBytesWithAStunHeaderParseOrFailWithStunException() {
        Random random = new Random(SEED + 1);
        for (int i = 0; i < 2_000; i++) {
            byte[] b = new byte[20 + 4 * random.nextInt(40)];
            random.nextBytes(b);
            b[0] &= 0x01;
            b[2] = (byte) ((b.length - 20) >> 8);
            b[3] = (byte) (b.length - 20);
            b[4] = 0x21;
            b[5] = 0x12;
            b[6] = (byte) 0xa4;
            b[7] = 0x42;
            tryParse(b, 0, b.length, null, i);
        }
    }

    /** True if parsed; exercises every accessor on success; fails the test on any exception but StunException. */
    private static boolean tryParse(byte[] b, int off, int len, StunIntegrity integrity, int iteration) {
        try {
            StunMessage m = StunParser.parse(b, off, len);
            touchEverything(m, integrity);
            return true;
        } catch (StunException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            return false;
        } catch (RuntimeException e) {
            fail("iteration " + iteration + ": " + e + " on " + java.util.HexFormat.of().formatHex(b, off, off + len),
                    e);
            return false;
        }
    }

    private static void touchEverything(StunMessage m, StunIntegrity integrity) {
        m.method();
        m.messageClass();
        m.transactionId();
        if (m.hasUsername()) {
            m.username();
        }
        if (m.hasPriority()) {
            m.priority();
        }
        if (m.hasIceControlling()) {
            m.iceControlling();
        }
        if (m.hasIceControlled()) {
            m.iceControlled();
        }
        if (m.hasXorMappedAddress()) {
            assertThat(m.xorMappedAddress().port()).isBetween(0, 65535);
        }
        if (m.hasErrorCode()) {
            assertThat(m.errorCode()).isBetween(300, 699);
            m.errorReason();
        }
        m.software();
        m.unknownComprehensionRequired();
        if (integrity != null) {
            integrity.verify(m);
        }
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] b = original.clone();
        int kind = random.nextInt(6);
        switch (kind) {
            case 0 -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8)); // flip one bit
            case 1 -> { // scramble a few bytes
                for (int k = random.nextInt(4) + 1; k > 0; k--) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
            }
            case 2 -> { // rewrite an attribute length (bytes 22-23 of the first attribute, or deeper ones)
                int at = 20 + 4 * random.nextInt((b.length - 20) / 4);
                b[at + 2] = (byte) random.nextInt(256);
                b[at + 3] = (byte) random.nextInt(256);
            }
            case 3 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1)); // truncate
            case 4 -> { // grow with random tail and matching header length
                int extra = 4 * (random.nextInt(8) + 1);
                b = Arrays.copyOf(b, b.length + extra);
                for (int k = b.length - extra; k < b.length; k++) {
                    b[k] = (byte) random.nextInt(256);
                }
                b[2] = (byte) ((b.length - 20) >> 8);
                b[3] = (byte) (b.length - 20);
            }
            default -> { // rewrite the message length field
                b[2] = (byte) random.nextInt(4);
                b[3] = (byte) random.nextInt(256);
            }
        }
        return b;
    }
}

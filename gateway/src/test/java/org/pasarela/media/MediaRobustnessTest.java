package org.pasarela.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.pasarela.bridge.BridgedCodec;

/** Any bytes, of any length 0-40, through every per-packet entry point: verdicts, never exceptions. */
class MediaRobustnessTest {

    static final int ITERATIONS = 50_000;
    static final PayloadTypeMap MAP = PayloadTypeMap.of(new BridgedCodec(0, 0, "PCMU", 8000),
            Optional.of(new BridgedCodec(101, 101, "telephone-event", 8000)));

    @Test
    void randomDatagramsNeverThrow() {
        SplittableRandom random = new SplittableRandom(0x5eed_7983L);
        RtpRewriter forward = new RtpRewriter(Direction.SIP_TO_BROWSER, 1, 0, 0);
        RtpRewriter reverse = new RtpRewriter(Direction.BROWSER_TO_SIP, 2, 0, 0);
        RtcpTranslator translator = new RtcpTranslator(forward, reverse);
        SymmetricLatch latch = SymmetricLatch.forRtp(new InetSocketAddress("127.0.0.1", 4000), 0);
        InetSocketAddress other = new InetSocketAddress("127.0.0.2", 4000);
        byte[] b = new byte[48];
        for (int i = 0; i < ITERATIONS; i++) {
            int len = random.nextInt(41);
            int off = random.nextInt(8);
            random.nextBytes(b);
            if (random.nextBoolean()) b[off] = (byte) (0x80 | (b[off] & 0x3f));   // version 2 half the time
            if (random.nextInt(4) == 0 && len >= 4) {                             // a plausible RTCP length
                b[off + 1] = (byte) (200 + random.nextInt(8));
                b[off + 2] = 0;
                b[off + 3] = (byte) (len / 4 - 1);
            }
            PacketKind kind = PacketKind.classify(b, off, len);
            long now = i * 20_000_000L;
            if (kind == PacketKind.RTCP) {
                int out = translator.translate(b, off, len);
                assertThat(out).isBetween(-1, len);
                if (out > 0) assertThat(RtcpTranslator.isValidCompound(b, off, out)).isTrue();
            } else {
                boolean valid = RtpHeader.isValid(b, off, len);
                if (valid) {
                    assertThat(RtpHeader.payloadLength(b, off, len)).isBetween(0, len - 12);
                    latch.onPacket(i % 3 == 0 ? other : null, true, RtpHeader.ssrc(b, off),
                            RtpHeader.sequenceNumber(b, off), now);
                }
                RtpRewriter.Verdict verdict = forward.rewrite(b, off, len, MAP, now);
                assertThat(verdict == RtpRewriter.Verdict.DROP_INVALID).isEqualTo(!valid);
            }
            assertThat(RtcpTranslator.isValidCompound(b, off, len)).isIn(true, false);
        }
    }

    @Test
    void everyPrefixAndBitFlipOfTheVectorsNeverThrows() {
        SplittableRandom random = new SplittableRandom(4733);
        RtpRewriter forward = new RtpRewriter(Direction.BROWSER_TO_SIP, 1, 0, 0);
        RtpRewriter reverse = new RtpRewriter(Direction.SIP_TO_BROWSER, 2, 0, 0);
        RtcpTranslator translator = new RtcpTranslator(forward, reverse);
        List<String> names = TestPackets.vectors(".hex");
        assertThat(names).isNotEmpty();
        for (String name : names) {
            byte[] original = TestPackets.vector(name);
            for (int round = 0; round < 500; round++) {
                byte[] b = original.clone();
                int flips = 1 + random.nextInt(3);
                for (int f = 0; f < flips; f++) b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                int len = random.nextInt(b.length + 1);
                PacketKind.classify(b, 0, len);
                translator.translate(b.clone(), 0, len);
                forward.rewrite(b, 0, len, MAP, round);
            }
        }
    }
}

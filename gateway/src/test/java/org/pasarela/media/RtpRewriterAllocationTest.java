package org.pasarela.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.pasarela.bridge.BridgedCodec;

/**
 * The per-packet path allocates nothing: a property check on the bytes this thread allocated (HotSpot's
 * com.sun.management.ThreadMXBean), not a timing.
 */
class RtpRewriterAllocationTest {

    static final int PACKETS = 100_000;
    /** Slack for the measurement itself and any one-off class initialisation. */
    static final long ALLOWED_BYTES = 16 * 1024;

    @Test
    void rewritingAndTranslatingAllocateNothingPerPacket() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "HotSpot thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);

        PayloadTypeMap map = PayloadTypeMap.of(new BridgedCodec(111, 107, "opus", 48000),
                Optional.of(new BridgedCodec(126, 101, "telephone-event", 48000)));
        RtpRewriter toSip = new RtpRewriter(Direction.BROWSER_TO_SIP, 11, 0, 0);
        RtpRewriter toBrowser = new RtpRewriter(Direction.SIP_TO_BROWSER, 22, 0, 0);
        RtcpTranslator rtcp = new RtcpTranslator(toSip, toBrowser);
        byte[] rtp = TestPackets.vector("chromium-opus-audio-level-twcc.rtp.hex");
        byte[] sr = TestPackets.vector("chromium-sr-sdes.rtcp.hex");
        byte[] rtpWork = new byte[rtp.length];
        byte[] srWork = new byte[sr.length];
        run(map, toSip, rtcp, rtp, sr, rtpWork, srWork, 10_000);   // warm up: class init, JIT

        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        run(map, toSip, rtcp, rtp, sr, rtpWork, srWork, PACKETS);
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertThat(allocated).isLessThan(ALLOWED_BYTES);
    }

    private static void run(PayloadTypeMap map, RtpRewriter toSip, RtcpTranslator rtcp, byte[] rtp, byte[] sr,
                            byte[] rtpWork, byte[] srWork, int packets) {
        for (int i = 0; i < packets; i++) {
            System.arraycopy(rtp, 0, rtpWork, 0, rtp.length);
            RtpHeader.setSequenceNumber(rtpWork, 0, i);
            RtpHeader.setTimestamp(rtpWork, 0, i * 960);
            PacketKind.classify(rtpWork, 0, rtpWork.length);
            if (toSip.rewrite(rtpWork, 0, rtpWork.length, map, i * 20_000_000L) != RtpRewriter.Verdict.FORWARD) {
                throw new AssertionError("packet " + i + " was not forwarded");
            }
            if (i % 250 == 0) {
                System.arraycopy(sr, 0, srWork, 0, sr.length);
                rtcp.translate(srWork, 0, srWork.length);
            }
        }
    }
}

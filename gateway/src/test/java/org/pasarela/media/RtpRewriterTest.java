package org.pasarela.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pasarela.media.TestPackets.event;
import static org.pasarela.media.TestPackets.rtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pasarela.bridge.BridgedCodec;
import org.pasarela.media.RtpRewriter.Verdict;

class RtpRewriterTest {

    /** PCMU 0 on both legs; telephone-event 101 on the SIP leg, 126 toward the browser. */
    static final PayloadTypeMap PCMU = PayloadTypeMap.of(new BridgedCodec(0, 0, "PCMU", 8000),
            Optional.of(new BridgedCodec(126, 101, "telephone-event", 8000)));
    static final int OUT_SSRC = 0x0badcafe;
    static final int FIRST_SEQ = 5000;
    static final int FIRST_TS = 1_000_000;
    static final int A = 0x2c6b8f01;
    static final int B = 0x77777777;
    static final long MS = 1_000_000L;

    private final RtpRewriter rewriter = new RtpRewriter(Direction.SIP_TO_BROWSER, OUT_SSRC, FIRST_SEQ, FIRST_TS);
    private long now = 1_000 * MS;

    private Verdict send(byte[] packet) {
        return rewriter.rewrite(packet, 0, packet.length, PCMU, now);
    }

    /** Sends {@code count} 20 ms PCMU packets from {@code ssrc}, 20 ms apart, and returns the last. */
    private byte[] talk(int ssrc, int firstSeq, int firstTs, int count) {
        byte[] last = null;
        for (int i = 0; i < count; i++) {
            if (i > 0) now += 20 * MS;
            last = rtp(0, (firstSeq + i) & 0xffff, firstTs + 160 * i, ssrc, 160);
            assertThat(send(last)).isEqualTo(Verdict.FORWARD);
        }
        return last;
    }

    private static int seq(byte[] p) {
        return RtpHeader.sequenceNumber(p, 0);
    }

    private static int ts(byte[] p) {
        return RtpHeader.timestamp(p, 0);
    }

    @Test
    void firstPacketGetsTheInitialNumbersAndOutputSsrcAndKeepsItsPayload() {
        byte[] p = rtp(0, 30000, 123456, A, 160);
        byte[] payload = java.util.Arrays.copyOfRange(p, 12, p.length);
        assertThat(send(p)).isEqualTo(Verdict.FORWARD);
        assertThat(RtpHeader.ssrc(p, 0)).isEqualTo(OUT_SSRC);
        assertThat(seq(p)).isEqualTo(FIRST_SEQ);
        assertThat(ts(p)).isEqualTo(FIRST_TS);
        assertThat(RtpHeader.marker(p, 0)).isFalse();
        assertThat(java.util.Arrays.copyOfRange(p, 12, p.length)).isEqualTo(payload);
    }

    @Test
    void mapsWithinASourceByConstantOffset() {
        talk(A, 30000, 123456, 1);
        now += 20 * MS;
        byte[] p = rtp(0, 30001, 123456 + 160, A, 160);
        send(p);
        assertThat(seq(p)).isEqualTo(FIRST_SEQ + 1);
        assertThat(ts(p)).isEqualTo(FIRST_TS + 160);
    }

    @Test
    void keepsLossGapsVisibleToTheReceiver() {
        talk(A, 100, 0, 2);
        now += 60 * MS;
        byte[] p = rtp(0, 104, 4 * 160, A, 160);
        send(p);
        assertThat(seq(p)).isEqualTo(FIRST_SEQ + 4);
        assertThat(ts(p)).isEqualTo(FIRST_TS + 640);
        assertThat(RtpHeader.marker(p, 0)).as("loss is not a source change").isFalse();
    }

    @Test
    void sequenceNumbersWrapOnBothSides() {
        RtpRewriter wrapping = new RtpRewriter(Direction.SIP_TO_BROWSER, OUT_SSRC, 65534, -320);
        List<Integer> seqs = new ArrayList<>();
        List<Integer> stamps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] p = rtp(0, (65533 + i) & 0xffff, -160 + 160 * i, A, 160);
            assertThat(wrapping.rewrite(p, 0, p.length, PCMU, now + i * 20 * MS)).isEqualTo(Verdict.FORWARD);
            seqs.add(seq(p));
            stamps.add(ts(p));
        }
        assertThat(seqs).containsExactly(65534, 65535, 0, 1, 2);
        assertThat(stamps).containsExactly(-320, -160, 0, 160, 320);
    }

    @Test
    void reorderedPacketsKeepTheirOrderBecauseNumbersMapByOffset() {
        talk(A, 65534, 0, 1);
        byte[] third = rtp(0, 0, 320, A, 160);
        byte[] second = rtp(0, 65535, 160, A, 160);
        now += 40 * MS;
        send(third);
        assertThat(send(second)).isEqualTo(Verdict.FORWARD);
        assertThat(seq(third)).isEqualTo(FIRST_SEQ + 2);
        assertThat(seq(second)).isEqualTo(FIRST_SEQ + 1);
        assertThat(ts(second)).isEqualTo(FIRST_TS + 160);
        byte[] fourth = rtp(0, 1, 480, A, 160);
        send(fourth);
        assertThat(seq(fourth)).as("the late packet did not move the stream").isEqualTo(FIRST_SEQ + 3);
    }

    @Test
    void duplicatesOfTheNewestAndOfLatePacketsAreDropped() {
        talk(A, 10, 0, 3);
        assertThat(send(rtp(0, 12, 320, A, 160))).isEqualTo(Verdict.DROP_DUPLICATE);
        assertThat(send(rtp(0, 11, 160, A, 160))).isEqualTo(Verdict.DROP_DUPLICATE);
        byte[] skipped = rtp(0, 20, 1600, A, 160);
        send(skipped);
        assertThat(send(rtp(0, 15, 800, A, 160))).isEqualTo(Verdict.FORWARD);
        assertThat(send(rtp(0, 15, 800, A, 160))).isEqualTo(Verdict.DROP_DUPLICATE);
    }

    @Test
    void packetsFurtherBehindThanTheDuplicateWindowAreDroppedAsLate() {
        talk(A, 1000, 0, 1);
        send(rtp(0, 1080, 80 * 160, A, 160));
        assertThat(send(rtp(0, 1080 - 64, 0, A, 160))).isEqualTo(Verdict.DROP_LATE);
        assertThat(send(rtp(0, 1080 - 63, 0, A, 160))).isEqualTo(Verdict.FORWARD);
    }

    @Test
    void ssrcChangeContinuesSequenceAndTimestampFromWallClockAndSetsMarker() {
        byte[] lastOfA = talk(A, 100, 50_000, 10);
        now += 60 * MS;
        byte[] firstOfB = rtp(0, 40000, 987_654_321, B, 160);
        assertThat(send(firstOfB)).isEqualTo(Verdict.FORWARD);
        assertThat(RtpHeader.ssrc(firstOfB, 0)).isEqualTo(OUT_SSRC);
        assertThat(seq(firstOfB)).isEqualTo(seq(lastOfA) + 1);
        assertThat(ts(firstOfB)).isEqualTo(ts(lastOfA) + 480);
        assertThat(RtpHeader.marker(firstOfB, 0)).isTrue();
        now += 20 * MS;
        byte[] secondOfB = rtp(0, 40001, 987_654_321 + 160, B, 160);
        send(secondOfB);
        assertThat(seq(secondOfB)).isEqualTo(seq(lastOfA) + 2);
        assertThat(ts(secondOfB)).isEqualTo(ts(lastOfA) + 640);
        assertThat(RtpHeader.marker(secondOfB, 0)).isFalse();
    }

    @Test
    void sourceChangeWithoutAGapStillAdvancesOneObservedFrame() {
        RtpRewriter tenMs = new RtpRewriter(Direction.SIP_TO_BROWSER, OUT_SSRC, 0, 0);
        for (int i = 0; i < 3; i++) {
            byte[] p = rtp(0, i, 80 * i, A, 80);
            tenMs.rewrite(p, 0, p.length, PCMU, now + i * 10 * MS);
        }
        byte[] b = rtp(0, 9, 9, B, 80);
        tenMs.rewrite(b, 0, b.length, PCMU, now + 20 * MS);
        assertThat(ts(b)).as("last ts 160 + one 10 ms frame").isEqualTo(240);
        assertThat(seq(b)).isEqualTo(3);
    }

    @Test
    void latePacketsOfThePreviousSourceAreDroppedNotTakenForAnotherSwitch() {
        talk(A, 100, 0, 5);
        now += 20 * MS;
        byte[] firstOfB = rtp(0, 7, 7, B, 160);
        send(firstOfB);
        assertThat(send(rtp(0, 103, 480, A, 160))).isEqualTo(Verdict.DROP_LATE);
        assertThat(send(rtp(0, 104, 640, A, 160))).isEqualTo(Verdict.DROP_LATE);
        byte[] secondOfB = rtp(0, 8, 167, B, 160);
        send(secondOfB);
        assertThat(seq(secondOfB)).isEqualTo(seq(firstOfB) + 1);
        assertThat(RtpHeader.marker(secondOfB, 0)).isFalse();
    }

    @Test
    void previousSourceResumingWithNewerPacketsIsASwitchBack() {
        talk(A, 100, 0, 5);
        now += 20 * MS;
        byte[] b = rtp(0, 7, 7, B, 160);
        send(b);
        now += 20 * MS;
        byte[] backToA = rtp(0, 105, 800, A, 160);
        assertThat(send(backToA)).isEqualTo(Verdict.FORWARD);
        assertThat(seq(backToA)).isEqualTo(seq(b) + 1);
        assertThat(ts(backToA)).isEqualTo(ts(b) + 160);
        assertThat(RtpHeader.marker(backToA, 0)).isTrue();
    }

    @Test
    void sameSsrcJumpingSequenceByMoreThanMaxDropoutIsReanchored() {
        byte[] last = talk(A, 100, 0, 3);
        now += 20 * MS;
        byte[] jumped = rtp(0, 100 + 3 + RtpRewriter.MAX_DROPOUT + 1, 480, A, 160);
        send(jumped);
        assertThat(seq(jumped)).isEqualTo(seq(last) + 1);
        assertThat(RtpHeader.marker(jumped, 0)).isTrue();
        now += 20 * MS;
        byte[] next = rtp(0, 100 + 3 + RtpRewriter.MAX_DROPOUT + 2, 640, A, 160);
        send(next);
        assertThat(seq(next)).isEqualTo(seq(last) + 2);
        assertThat(send(rtp(0, 101, 160, A, 160))).as("late packet of the old anchor").isEqualTo(Verdict.DROP_LATE);
    }

    @Test
    void sameSsrcJumpingTimestampAheadOfWallClockIsReanchored() {
        byte[] last = talk(A, 100, 0, 3);
        now += 20 * MS;
        byte[] jumped = rtp(0, 103, 480 + 8000 * 30, A, 160);
        send(jumped);
        assertThat(ts(jumped)).isEqualTo(ts(last) + 160);
        assertThat(RtpHeader.marker(jumped, 0)).isTrue();
    }

    @Test
    void sameSsrcTimestampGoingBackMoreThanTheSkewIsReanchored() {
        byte[] last = talk(A, 100, 8000 * 100, 3);
        now += 20 * MS;
        byte[] back = rtp(0, 103, 8000 * 50, A, 160);
        send(back);
        assertThat(ts(back)).isEqualTo(ts(last) + 160);
        assertThat(RtpHeader.marker(back, 0)).isTrue();
    }

    @Test
    void timestampGapMatchingWallClockAfterSilenceIsNotASwitch() {
        byte[] last = talk(A, 100, 0, 3);
        now += 10_000 * MS;
        byte[] afterSilence = rtp(0, 103, 320 + 80_000, A, 160);
        afterSilence[1] |= (byte) 0x80;
        send(afterSilence);
        assertThat(ts(afterSilence)).isEqualTo(ts(last) + 80_000);
        assertThat(seq(afterSilence)).isEqualTo(seq(last) + 1);
    }

    @Test
    void burstAfterANetworkStallIsNotASwitch() {
        byte[] last = talk(A, 100, 0, 3);
        now += 1_500 * MS;
        for (int i = 1; i <= 75; i++) {
            byte[] p = rtp(0, 102 + i, 320 + 160 * i, A, 160);
            send(p);
            assertThat(ts(p)).isEqualTo(ts(last) + 160 * i);
            assertThat(RtpHeader.marker(p, 0)).isFalse();
        }
    }

    @Test
    void telephoneEventKeepsOneTimestampPerEventAcrossASourceSwitch() {
        talk(A, 100, 0, 5);
        List<byte[]> firstEvent = new ArrayList<>();
        int[] durations = {160, 320, 480, 640, 640, 640};
        for (int i = 0; i < durations.length; i++) {
            now += 20 * MS;
            byte[] p = event(101, 105 + i, 800, A, 5, i >= 3, durations[i]);
            if (i == 0) p[1] |= (byte) 0x80;
            assertThat(send(p)).isEqualTo(Verdict.FORWARD);
            firstEvent.add(p);
        }
        assertThat(firstEvent).extracting(RtpRewriterTest::ts).containsOnly(FIRST_TS + 800);
        assertThat(firstEvent).extracting(p -> RtpHeader.payloadType(p, 0)).containsOnly(126);
        assertThat(firstEvent).extracting(RtpRewriterTest::seq).containsExactly(5005, 5006, 5007, 5008, 5009, 5010);

        // The PBX re-anchors: a new SSRC whose first packets are another event.
        List<byte[]> secondEvent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            now += 20 * MS;
            byte[] p = event(101, 9000 + i, 44_444, B, 11, i == 3, 160 * (i + 1));
            assertThat(send(p)).isEqualTo(Verdict.FORWARD);
            secondEvent.add(p);
        }
        int secondStart = ts(secondEvent.get(0));
        assertThat(secondEvent).extracting(RtpRewriterTest::ts).containsOnly(secondStart);
        assertThat(secondStart - (FIRST_TS + 800)).as("starts after the first event's full duration")
                .isGreaterThanOrEqualTo(640);
        assertThat(secondEvent).extracting(RtpRewriterTest::seq).containsExactly(5011, 5012, 5013, 5014);
        assertThat(RtpHeader.marker(secondEvent.get(0), 0)).isTrue();
        assertThat(TelephoneEventDecoder.event(secondEvent.get(0), 12)).isEqualTo(11);
    }

    @Test
    void eventPacketsBehindInterleavedVoiceAreNotTimestampJumps() {
        talk(A, 100, 0, 1);
        int seqIn = 101;
        for (int i = 1; i <= 200; i++) {
            now += 20 * MS;
            byte[] voice = rtp(0, seqIn++, 160 * i, A, 160);
            send(voice);
            byte[] ev = event(101, seqIn++, 160, A, 1, false, 160 * i);
            send(ev);
            assertThat(ts(ev)).isEqualTo(FIRST_TS + 160);
            assertThat(RtpHeader.marker(voice, 0)).isFalse();
        }
    }

    @Test
    void unnegotiatedPayloadTypesAndMalformedPacketsAreDropped() {
        assertThat(send(rtp(8, 1, 0, A, 160))).isEqualTo(Verdict.DROP_PAYLOAD_TYPE);
        assertThat(send(rtp(126, 1, 0, A, 4))).as("the browser's event PT is not the SIP leg's")
                .isEqualTo(Verdict.DROP_PAYLOAD_TYPE);
        byte[] bad = rtp(0, 1, 0, A, 160);
        bad[0] = 0x40;
        assertThat(send(bad)).isEqualTo(Verdict.DROP_INVALID);
        assertThat(rewriter.packetCount()).isZero();
        assertThat(rewriter.mapping()).isNull();
    }

    @Test
    void rewritesPayloadTypeTowardTheReceivingLeg() {
        RtpRewriter toSip = new RtpRewriter(Direction.BROWSER_TO_SIP, OUT_SSRC, 0, 0);
        PayloadTypeMap opus = PayloadTypeMap.of(new BridgedCodec(111, 107, "opus", 48000), Optional.empty());
        byte[] p = TestPackets.vector("chromium-opus-audio-level-twcc.rtp.hex");
        assertThat(toSip.rewrite(p, 0, p.length, opus, now)).isEqualTo(Verdict.FORWARD);
        assertThat(RtpHeader.payloadType(p, 0)).isEqualTo(107);
        assertThat(RtpHeader.headerLength(p, 0)).as("extensions are left for the edge to strip or keep").isEqualTo(24);
    }

    @Test
    void countsForwardedPacketsAndPayloadOctets() {
        talk(A, 1, 0, 10);
        send(rtp(0, 10, 9 * 160, A, 160));
        byte[] padded = TestPackets.vector("hand-built-pcmu-padded.rtp.hex");
        send(padded);
        assertThat(rewriter.packetCount()).isEqualTo(11);
        assertThat(rewriter.octetCount()).isEqualTo(10 * 160 + 8);
    }

    @Test
    void injectedEventPacketsTakeTheNextNumbersAndTheSourceContinuesAfterThem() {
        byte[] last = talk(A, 100, 0, 5);
        now += 5 * MS;
        int eventTs = rewriter.timestampAt(now, 8000);
        assertThat(eventTs).isEqualTo(ts(last) + 160);
        TelephoneEventEncoder encoder = new TelephoneEventEncoder(1, 101, 8000, eventTs, now, 20 * MS, 40 * MS);
        byte[] injected = new byte[TelephoneEventEncoder.PACKET_BYTES];
        assertThat(encoder.poll(injected, 0, now)).isEqualTo(16);
        assertThat(rewriter.inject(injected, 0, injected.length, now)).isEqualTo(Verdict.FORWARD);
        assertThat(RtpHeader.ssrc(injected, 0)).isEqualTo(OUT_SSRC);
        assertThat(seq(injected)).isEqualTo(seq(last) + 1);
        assertThat(ts(injected)).isEqualTo(eventTs);

        now += 15 * MS;
        byte[] next = rtp(0, 105, 800, A, 160);
        send(next);
        assertThat(seq(next)).isEqualTo(seq(last) + 2);
        assertThat(ts(next)).as("voice timestamps are not shifted by the event").isEqualTo(ts(last) + 160);
        assertThat(send(rtp(0, 103, 480, A, 160))).as("its number was reused").isEqualTo(Verdict.DROP_DUPLICATE);
        assertThat(rewriter.mapping().sequenceOffset()).isEqualTo((FIRST_SEQ - 100 + 1) & 0xffff);
    }

    @Test
    void injectingBeforeAnySourceStartsTheStreamAndTheSourceFollows() {
        byte[] injected = new byte[TelephoneEventEncoder.PACKET_BYTES];
        TelephoneEventEncoder encoder = new TelephoneEventEncoder(0, 101, 8000, rewriter.timestampAt(now, 8000), now,
                20 * MS, 40 * MS);
        encoder.poll(injected, 0, now);
        rewriter.inject(injected, 0, injected.length, now);
        assertThat(seq(injected)).isEqualTo(FIRST_SEQ);
        assertThat(ts(injected)).isEqualTo(FIRST_TS);
        now += 20 * MS;
        byte[] voice = rtp(0, 1, 1, A, 160);
        send(voice);
        assertThat(seq(voice)).isEqualTo(FIRST_SEQ + 1);
        assertThat(ts(voice)).as("after the event's 160 ticks, plus the 20 ms gap").isEqualTo(FIRST_TS + 160 + 160);
    }

    @Test
    void injectRefusesMalformedPackets() {
        assertThat(rewriter.inject(new byte[5], 0, 5, now)).isEqualTo(Verdict.DROP_INVALID);
    }
}

package org.pasarela.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SrtpTransformerTest {
    private static final int SSRC = 0x11223344;

    /** Two ends of one association: what {@code alice} protects, {@code bob} unprotects, and back. */
    private static SrtpTransformer[] pair(SrtpProfile profile) {
        byte[] material = new byte[profile.keyingMaterialLength()];
        for (int i = 0; i < material.length; i++) material[i] = (byte) (i * 7 + 1);
        return new SrtpTransformer[] {
            SrtpTransformer.fromDtlsKeyingMaterial(profile, material, true),
            SrtpTransformer.fromDtlsKeyingMaterial(profile, material, false)};
    }

    /** A 172-byte PCMU packet (12-byte header, 160-byte payload) in a buffer with room for any tag. */
    private static byte[] rtp(int seq) {
        byte[] buf = new byte[256];
        buf[0] = (byte) 0x80;
        buf[2] = (byte) (seq >>> 8);
        buf[3] = (byte) seq;
        buf[4] = 0x01;
        buf[8] = 0x11; buf[9] = 0x22; buf[10] = 0x33; buf[11] = 0x44;
        for (int i = 12; i < 172; i++) buf[i] = (byte) (i ^ seq);
        return buf;
    }

    /** An RTCP receiver report with one report block (32 bytes). */
    private static byte[] rtcp() {
        byte[] buf = new byte[128];
        buf[0] = (byte) 0x81; buf[1] = (byte) 201; buf[3] = 7;
        buf[4] = 0x11; buf[5] = 0x22; buf[6] = 0x33; buf[7] = 0x44;
        for (int i = 8; i < 32; i++) buf[i] = (byte) i;
        return buf;
    }

    private static byte[] protectedRtp(SrtpTransformer sender, int seq) {
        byte[] buf = rtp(seq);
        int len = sender.protect(buf, 0, 172);
        assertThat(len).as(SrtpStatus.describe(len)).isEqualTo(172 + sender.profile().rtpTagLength());
        return Arrays.copyOf(buf, len);
    }

    private static int unprotect(SrtpTransformer receiver, byte[] srtp) {
        byte[] copy = srtp.clone();
        return receiver.unprotect(copy, 0, copy.length);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void roundTripsRtpUnderEveryProfile(SrtpProfile profile) {
        SrtpTransformer[] ends = pair(profile);
        byte[] buf = rtp(1000);
        int len = ends[0].protect(buf, 0, 172);
        assertThat(Arrays.copyOfRange(buf, 12, 172)).isNotEqualTo(Arrays.copyOfRange(rtp(1000), 12, 172));

        assertThat(ends[1].unprotect(buf, 0, len)).isEqualTo(172);
        assertThat(Arrays.copyOf(buf, 172)).isEqualTo(Arrays.copyOf(rtp(1000), 172));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void roundTripsRtcpBothWaysUnderEveryProfile(SrtpProfile profile) {
        SrtpTransformer[] ends = pair(profile);
        for (int from = 0; from < 2; from++) {
            byte[] buf = rtcp();
            int len = ends[from].protectRtcp(buf, 0, 32);
            assertThat(len).isEqualTo(32 + profile.rtcpOverhead());
            assertThat(ends[1 - from].unprotectRtcp(buf, 0, len)).isEqualTo(32);
            assertThat(Arrays.copyOf(buf, 32)).isEqualTo(Arrays.copyOf(rtcp(), 32));
        }
    }

    @Test
    void peersWithSwappedDtlsRolesCannotReadEachOthersOwnTraffic() {
        SrtpTransformer[] ends = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        byte[] srtp = protectedRtp(ends[0], 5);
        assertThat(unprotect(ends[0], srtp)).isEqualTo(SrtpStatus.AUTH_FAILED);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rejectsTheSamePacketTwice(SrtpProfile profile) {
        SrtpTransformer[] ends = pair(profile);
        byte[] srtp = protectedRtp(ends[0], 7);
        assertThat(unprotect(ends[1], srtp)).isEqualTo(172);
        assertThat(unprotect(ends[1], srtp)).isEqualTo(SrtpStatus.REPLAYED);
    }

    @Test
    void rejectsAPacketOlderThanTheReplayWindow() {
        SrtpTransformer[] ends = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        byte[] old = protectedRtp(ends[0], 100);
        byte[] recent = protectedRtp(ends[0], 100 + SsrcState.REPLAY_WINDOW);
        assertThat(unprotect(ends[1], recent)).isEqualTo(172);
        assertThat(unprotect(ends[1], old)).isEqualTo(SrtpStatus.TOO_OLD);
    }

    @Test
    void acceptsPacketsReorderedWithinTheReplayWindow() {
        SrtpTransformer[] ends = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        byte[][] sent = new byte[64][];
        for (int i = 0; i < sent.length; i++) sent[i] = protectedRtp(ends[0], 300 + i);
        assertThat(unprotect(ends[1], sent[63])).isEqualTo(172);
        for (int i = 62; i >= 0; i--) assertThat(unprotect(ends[1], sent[i])).as("seq " + (300 + i)).isEqualTo(172);
    }

    @Test
    void carriesTheRolloverCounterAcrossSequence65535To0() {
        SrtpTransformer[] ends = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        byte[] s65534 = protectedRtp(ends[0], 65534);
        byte[] s65535 = protectedRtp(ends[0], 65535);
        byte[] s0 = protectedRtp(ends[0], 0);
        byte[] s1 = protectedRtp(ends[0], 1);

        assertThat(unprotect(ends[1], s65534)).isEqualTo(172);
        assertThat(unprotect(ends[1], s0)).as("first packet of ROC 1").isEqualTo(172);
        assertThat(unprotect(ends[1], s65535)).as("late packet of ROC 0").isEqualTo(172);
        assertThat(unprotect(ends[1], s1)).isEqualTo(172);
        assertThat(unprotect(ends[1], s0)).isEqualTo(SrtpStatus.REPLAYED);
    }

    @Test
    void senderUsesRolloverCounterOneAfterWrapping() {
        SrtpTransformer[] ends = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        protectedRtp(ends[0], 65535);
        byte[] afterWrap = protectedRtp(ends[0], 0);
        // A receiver that starts at this packet assumes ROC 0 (RFC 3711 §3.3.1), so the tag cannot match.
        SrtpTransformer lateReceiver = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80)[1];
        assertThat(unprotect(lateReceiver, afterWrap)).isEqualTo(SrtpStatus.AUTH_FAILED);
    }

    @Test
    void refusesToProtectTheSameIndexTwiceBecauseThatWouldReuseKeystream() {
        SrtpTransformer sender = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80)[0];
        protectedRtp(sender, 42);
        byte[] again = rtp(42);
        assertThat(sender.protect(again, 0, 172)).isEqualTo(SrtpStatus.REPLAYED);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void numbersSrtcpPacketsFromZeroWithTheEncryptedFlagSet(SrtpProfile profile) {
        SrtpTransformer[] ends = pair(profile);
        int tagAfterIndex = profile.aead() ? 0 : profile.rtcpTagLength();
        for (int expected = 0; expected < 3; expected++) {
            byte[] buf = rtcp();
            int len = ends[0].protectRtcp(buf, 0, 32);
            int at = len - tagAfterIndex - 4;
            int eIndex = (buf[at] & 0xff) << 24 | (buf[at + 1] & 0xff) << 16 | (buf[at + 2] & 0xff) << 8 | buf[at + 3] & 0xff;
            assertThat(eIndex).isEqualTo(0x8000_0000 | expected);
        }
    }

    @Test
    void rejectsAReplayedSrtcpPacket() {
        SrtpTransformer[] ends = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        byte[] buf = rtcp();
        int len = ends[0].protectRtcp(buf, 0, 32);
        byte[] wire = Arrays.copyOf(buf, len);
        assertThat(ends[1].unprotectRtcp(wire.clone(), 0, len)).isEqualTo(32);
        assertThat(ends[1].unprotectRtcp(wire.clone(), 0, len)).isEqualTo(SrtpStatus.REPLAYED);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rejectsATamperedTagAndDoesNotLetItMoveTheWindow(SrtpProfile profile) {
        SrtpTransformer[] ends = pair(profile);
        byte[] srtp = protectedRtp(ends[0], 9);
        byte[] forged = srtp.clone();
        forged[forged.length - 1] ^= 0x01;
        assertThat(unprotect(ends[1], forged)).isEqualTo(SrtpStatus.AUTH_FAILED);
        assertThat(unprotect(ends[1], srtp)).as("the genuine packet still arrives").isEqualTo(172);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rejectsATamperedSrtcpTag(SrtpProfile profile) {
        SrtpTransformer[] ends = pair(profile);
        byte[] buf = rtcp();
        int len = ends[0].protectRtcp(buf, 0, 32);
        buf[12] ^= 0x40;
        assertThat(ends[1].unprotectRtcp(buf, 0, len)).isEqualTo(SrtpStatus.AUTH_FAILED);
    }

    @Test
    void aForgedPacketFromAnUnknownSsrcCreatesNoStream() {
        SrtpContext receiver = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, new byte[16], new byte[14]);
        byte[] junk = rtp(1);
        assertThat(receiver.unprotectRtp(junk, 0, 182)).isEqualTo(SrtpStatus.AUTH_FAILED);
        assertThat(receiver.streamCount()).isZero();
    }

    @Test
    void reportsShortMalformedAndCrampedPacketsAsStatusCodes() {
        SrtpTransformer[] ends = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        assertThat(ends[0].protect(new byte[64], 0, 11)).isEqualTo(SrtpStatus.TOO_SHORT);
        assertThat(ends[1].unprotect(rtp(1), 0, 21)).isEqualTo(SrtpStatus.TOO_SHORT);
        assertThat(ends[0].protect(new byte[64], 0, 40)).as("version 0").isEqualTo(SrtpStatus.MALFORMED);
        byte[] withCsrcs = rtp(1);
        withCsrcs[0] = (byte) 0x8f;   // 15 CSRCs: a 72-byte header in a 40-byte packet
        assertThat(ends[0].protect(withCsrcs, 0, 40)).isEqualTo(SrtpStatus.MALFORMED);
        assertThat(ends[0].protect(Arrays.copyOf(rtp(1), 175), 0, 172)).isEqualTo(SrtpStatus.NO_ROOM);
        assertThat(ends[0].protectRtcp(Arrays.copyOf(rtcp(), 40), 0, 32)).isEqualTo(SrtpStatus.NO_ROOM);
        assertThat(ends[1].unprotectRtcp(rtcp(), 0, 20)).isEqualTo(SrtpStatus.TOO_SHORT);
    }

    @Test
    void keepsTheRtpHeaderExtensionInTheClearAndEncryptsOnlyThePayload() {
        SrtpTransformer[] ends = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        byte[] buf = rtp(3);
        buf[0] = (byte) 0x90;                                   // X bit
        buf[12] = (byte) 0xbe; buf[13] = (byte) 0xde; buf[14] = 0; buf[15] = 1;  // one-byte extension, 1 word
        byte[] original = buf.clone();
        int len = ends[0].protect(buf, 0, 172);
        assertThat(Arrays.copyOf(buf, 20)).isEqualTo(Arrays.copyOf(original, 20));
        assertThat(ends[1].unprotect(buf, 0, len)).isEqualTo(172);
        assertThat(Arrays.copyOf(buf, 172)).isEqualTo(Arrays.copyOf(original, 172));
    }

    @Test
    void callerBugsAreIllegalArgumentsNamingTheProblem() {
        SrtpTransformer sender = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80)[0];
        assertThatThrownBy(() -> sender.protect(new byte[10], 5, 20))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("packet [5, +20) lies outside a 10-byte buffer");
        assertThatThrownBy(() -> new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, new byte[16], new byte[14]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("master salt is 14 bytes; AEAD_AES_128_GCM needs 12");
        assertThatThrownBy(() -> SrtpTransformer.fromDtlsKeyingMaterial(SrtpProfile.AES_CM_128_HMAC_SHA1_80, new byte[56], true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DTLS-SRTP keying material is 56 bytes; AES_CM_128_HMAC_SHA1_80 needs 60");
    }

    @Test
    void mapsDtlsProtectionProfileNumbers() {
        assertThat(SrtpProfile.fromDtlsProfileId(0x0001)).contains(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        assertThat(SrtpProfile.fromDtlsProfileId(0x0002)).contains(SrtpProfile.AES_CM_128_HMAC_SHA1_32);
        assertThat(SrtpProfile.fromDtlsProfileId(0x0007)).contains(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(SrtpProfile.fromDtlsProfileId(0x0008)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"})
    void protectsAndUnprotectsAesCmWithoutAllocating(SrtpProfile profile) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SrtpTransformer[] ends = pair(profile);
        byte[] buf = rtp(0);
        int tag = profile.rtpTagLength();
        int seq = 0;
        for (int i = 0; i < 20_000; i++, seq++) roundTrip(ends, buf, seq, tag);
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20_000; i++, seq++) roundTrip(ends, buf, seq, tag);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated / 20_000.0).as("bytes allocated per protect+unprotect").isLessThan(1.0);
    }

    private static void roundTrip(SrtpTransformer[] ends, byte[] buf, int seq, int tag) {
        buf[2] = (byte) (seq >>> 8);
        buf[3] = (byte) seq;
        if (ends[0].protect(buf, 0, 172) != 172 + tag || ends[1].unprotect(buf, 0, 172 + tag) != 172) {
            throw new AssertionError("round trip failed at seq " + seq);
        }
    }

    /** Keying material that differs per {@code call}, so that every call's packets differ. */
    private static SrtpTransformer endOfCall(int call, boolean dtlsClient) {
        SrtpProfile profile = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        byte[] material = new byte[profile.keyingMaterialLength()];
        for (int i = 0; i < material.length; i++) material[i] = (byte) (i * 7 + 13 * call + 1);
        return SrtpTransformer.fromDtlsKeyingMaterial(profile, material, dtlsClient);
    }

    /** Protects {@code count} packets of one call in turn with the others' (the relay's pattern), in one list per call. */
    private static List<List<byte[]>> protectInterleaved(int calls, int count) {
        SrtpTransformer[] senders = new SrtpTransformer[calls];
        List<List<byte[]>> out = new ArrayList<>();
        for (int c = 0; c < calls; c++) {
            senders[c] = endOfCall(c, true);
            out.add(new ArrayList<>());
        }
        for (int seq = 0; seq < count; seq++) {
            for (int c = 0; c < calls; c++) out.get(c).add(protectedRtp(senders[c], seq));
        }
        return out;
    }

    @Test
    void callsInterleavedOnOneThreadProtectAsEachAloneWould() {
        List<List<byte[]>> interleaved = protectInterleaved(3, 50);
        for (int c = 0; c < 3; c++) {
            SrtpTransformer alone = endOfCall(c, true);
            SrtpTransformer receiver = endOfCall(c, false);
            for (int seq = 0; seq < 50; seq++) {
                assertThat(interleaved.get(c).get(seq)).as("call %d, seq %d", c, seq).isEqualTo(protectedRtp(alone, seq));
                assertThat(unprotect(receiver, interleaved.get(c).get(seq))).isEqualTo(172);
            }
        }
    }

    @Test
    void contextsDrivenByFourThreadsAtOnceGiveTheSamePacketsAsOneThread() throws Exception {
        // The buffers and digest an operation works in are per thread; were they shared between threads, packets
        // protected at the same moment would mix each other's keystream and tags.
        int threads = 4;
        int count = 3000;
        List<List<byte[]>> expected = protectInterleaved(threads, count);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<List<byte[]>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int call = t;
                results.add(pool.submit(() -> {
                    SrtpTransformer sender = endOfCall(call, true);
                    SrtpTransformer receiver = endOfCall(call, false);
                    List<byte[]> packets = new ArrayList<>();
                    start.await(10, TimeUnit.SECONDS);
                    for (int seq = 0; seq < count; seq++) {
                        byte[] srtp = protectedRtp(sender, seq);
                        if (unprotect(receiver, srtp) != 172) throw new AssertionError("call " + call + " seq " + seq);
                        packets.add(srtp);
                    }
                    return packets;
                }));
            }
            for (int t = 0; t < threads; t++) {
                List<byte[]> got = results.get(t).get(60, TimeUnit.SECONDS);
                for (int seq = 0; seq < count; seq++) {
                    assertThat(got.get(seq)).as("thread %d, seq %d", t, seq).isEqualTo(expected.get(t).get(seq));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

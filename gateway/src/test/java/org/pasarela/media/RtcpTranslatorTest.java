package org.pasarela.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pasarela.media.RtpHeader.i32;
import static org.pasarela.media.RtpHeader.u16;
import static org.pasarela.media.TestPackets.rtp;
import static org.pasarela.media.TestPackets.vector;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pasarela.bridge.BridgedCodec;

class RtcpTranslatorTest {

    // The SSRCs the vectors use (see vectors/rtp/README.md).
    static final int CHROME = 0x5e1f2a3b;
    static final int ASTERISK = 0x2c6b8f01;
    static final int GW_TO_BROWSER = 0x0badcafe;
    static final int GW_TO_SIP = 0x0d15ea5e;
    static final PayloadTypeMap PCMU = PayloadTypeMap.of(new BridgedCodec(0, 0, "PCMU", 8000), Optional.empty());

    private final RtpRewriter toSip = new RtpRewriter(Direction.BROWSER_TO_SIP, GW_TO_SIP, 0, 0);
    private final RtpRewriter toBrowser = new RtpRewriter(Direction.SIP_TO_BROWSER, GW_TO_BROWSER, 0x1000, 0);
    private final RtcpTranslator fromBrowser = new RtcpTranslator(toSip, toBrowser);
    private final RtcpTranslator fromSip = new RtcpTranslator(toBrowser, toSip);

    /** Browser RTP seq 0x2a10 ts 0xbb8000 maps to 0/0; SIP RTP seq 0x0200 ts 777 maps to 0x1000/0. */
    private void bothLegsSent(int browserPackets) {
        for (int i = 0; i < browserPackets; i++) {
            byte[] p = rtp(0, 0x2a10 + i, 0xbb8000 + 160 * i, CHROME, 160);
            toSip.rewrite(p, 0, p.length, PCMU, i * 20_000_000L);
        }
        byte[] p = rtp(0, 0x0200, 777, ASTERISK, 160);
        toBrowser.rewrite(p, 0, p.length, PCMU, 0);
    }

    @Test
    void chromiumSrBecomesOurSrWithMappedTimestampOurCountsAndTheSipSourceInItsBlock() {
        bothLegsSent(3);
        byte[] b = vector("chromium-sr-sdes.rtcp.hex");
        byte[] original = b.clone();
        int len = fromBrowser.translate(b, 0, b.length);
        assertThat(len).as("SR alone: SDES dropped").isEqualTo(52);
        assertThat(b[0] & 0xff).as("V=2 RC=1").isEqualTo(0x81);
        assertThat(b[1] & 0xff).isEqualTo(200);
        assertThat(u16(b, 2)).isEqualTo(12);
        assertThat(i32(b, 4)).isEqualTo(GW_TO_SIP);
        assertThat(Arrays.copyOfRange(b, 8, 16)).as("NTP kept, so LSR/DLSR round trips work")
                .isEqualTo(Arrays.copyOfRange(original, 8, 16));
        assertThat(i32(b, 16)).as("RTP ts mapped like the media").isEqualTo(48000);
        assertThat(i32(b, 20)).as("packets we sent").isEqualTo(3);
        assertThat(i32(b, 24)).as("octets we sent").isEqualTo(480);
        assertThat(i32(b, 28)).as("block now names the SIP source").isEqualTo(ASTERISK);
        assertThat(i32(b, 36)).as("extended highest seq in the source's numbering").isEqualTo(0x00011234 - 0x0e00);
        assertThat(Arrays.copyOfRange(b, 32, 36)).as("fraction and cumulative lost kept")
                .isEqualTo(Arrays.copyOfRange(original, 32, 36));
        assertThat(Arrays.copyOfRange(b, 40, 52)).as("jitter, LSR, DLSR kept")
                .isEqualTo(Arrays.copyOfRange(original, 40, 52));
        assertThat(RtcpTranslator.isValidCompound(b, 0, len)).isTrue();
    }

    @Test
    void chromiumRrReportsFromOurSsrcAboutTheSipSource() {
        bothLegsSent(1);
        byte[] b = vector("chromium-rr-sdes.rtcp.hex");
        int len = fromBrowser.translate(b, 0, b.length);
        assertThat(len).isEqualTo(32);
        assertThat(b[1] & 0xff).isEqualTo(201);
        assertThat(b[0] & 0x1f).isEqualTo(1);
        assertThat(i32(b, 4)).isEqualTo(GW_TO_SIP);
        assertThat(i32(b, 8)).isEqualTo(ASTERISK);
        assertThat(i32(b, 16)).isEqualTo(0x0f00 - 0x0e00);
        assertThat(i32(b, 20)).as("jitter").isEqualTo(12);
    }

    @Test
    void chromiumTransportCcFeedbackIsDroppedAndTheEmptyRrKept() {
        bothLegsSent(1);
        byte[] b = vector("chromium-rr-transport-cc.rtcp.hex");
        int len = fromBrowser.translate(b, 0, b.length);
        assertThat(len).isEqualTo(8);
        assertThat(Arrays.copyOf(b, 8)).isEqualTo(HexFormat.of().parseHex("80c900010d15ea5e"));
    }

    @Test
    void asteriskSrBecomesOurSrTowardTheBrowserAboutTheBrowsersSource() {
        bothLegsSent(2);
        for (int i = 1; i < 50; i++) {
            byte[] p = rtp(0, 0x0200 + i, 777 + 160 * i, ASTERISK, 160);
            toBrowser.rewrite(p, 0, p.length, PCMU, i * 20_000_000L);
        }
        byte[] b = vector("asterisk-sr-sdes.rtcp.hex");
        int srTimestamp = i32(b, 16);
        int len = fromSip.translate(b, 0, b.length);
        assertThat(len).isEqualTo(52);
        assertThat(b[1] & 0xff).isEqualTo(200);
        assertThat(i32(b, 4)).isEqualTo(GW_TO_BROWSER);
        assertThat(i32(b, 16)).isEqualTo(srTimestamp - 777);
        assertThat(i32(b, 20)).isEqualTo(50);
        assertThat(i32(b, 28)).isEqualTo(CHROME);
        assertThat(i32(b, 36)).as("toSip started at seq 0 from 0x2a10").isEqualTo(0x0000a000 + 0x2a10);
    }

    @Test
    void asteriskHangupCompoundKeepsOnlyTheRr() {
        bothLegsSent(1);
        byte[] b = vector("asterisk-rr-sdes-bye.rtcp.hex");
        int len = fromSip.translate(b, 0, b.length);
        assertThat(len).isEqualTo(32);
        assertThat(b[1] & 0xff).isEqualTo(201);
        assertThat(i32(b, 4)).isEqualTo(GW_TO_BROWSER);
        assertThat(i32(b, 8)).isEqualTo(CHROME);
    }

    @Test
    void srFromASourceWeAreNotForwardingBecomesAnRrKeepingItsBlocks() {
        bothLegsSent(1);
        byte[] b = vector("chromium-sr-sdes.rtcp.hex");
        RtpHeader.put32(b, 4, 0x12345678);
        int len = fromBrowser.translate(b, 0, b.length);
        assertThat(len).isEqualTo(32);
        assertThat(b[1] & 0xff).isEqualTo(201);
        assertThat(u16(b, 2)).isEqualTo(7);
        assertThat(i32(b, 4)).isEqualTo(GW_TO_SIP);
        assertThat(i32(b, 8)).isEqualTo(ASTERISK);
        assertThat(i32(b, 24)).as("LSR survives the conversion").isEqualTo(0x12345678);
    }

    @Test
    void beforeAnyRtpSrBecomesEmptyRrFromOurSsrc() {
        byte[] b = vector("chromium-sr-sdes.rtcp.hex");
        int len = fromBrowser.translate(b, 0, b.length);
        assertThat(len).isEqualTo(8);
        assertThat(Arrays.copyOf(b, 8)).isEqualTo(HexFormat.of().parseHex("80c900010d15ea5e"));
    }

    @Test
    void reportBlocksAboutOtherStreamsAreRemoved() {
        bothLegsSent(1);
        byte[] b = HexFormat.of().parseHex("82c9000d" + "5e1f2a3b"
                + "deadbeef" + "01000001" + "00000100" + "00000001" + "00000000" + "00000000"
                + "0badcafe" + "02000002" + "00001000" + "00000002" + "00000000" + "00000000");
        int len = fromBrowser.translate(b, 0, b.length);
        assertThat(len).isEqualTo(32);
        assertThat(b[0] & 0x1f).isEqualTo(1);
        assertThat(u16(b, 2)).isEqualTo(7);
        assertThat(i32(b, 8)).isEqualTo(ASTERISK);
        assertThat(b[12]).as("the kept block's fraction lost").isEqualTo((byte) 2);
    }

    @Test
    void translatesAtAnOffsetAndLeavesBytesOutsideAlone() {
        bothLegsSent(1);
        byte[] packet = vector("chromium-rr-sdes.rtcp.hex");
        byte[] b = new byte[packet.length + 20];
        Arrays.fill(b, (byte) 0x55);
        System.arraycopy(packet, 0, b, 10, packet.length);
        assertThat(fromBrowser.translate(b, 10, packet.length)).isEqualTo(32);
        assertThat(i32(b, 14)).isEqualTo(GW_TO_SIP);
        assertThat(Arrays.copyOf(b, 10)).containsOnly(0x55);
        assertThat(Arrays.copyOfRange(b, 10 + packet.length, b.length)).containsOnly(0x55);
    }

    @ParameterizedTest
    @MethodSource("org.pasarela.media.PacketKindTest#rtcpVectors")
    void everyVectorIsAValidCompoundAndTranslatesToAValidOne(String name) {
        bothLegsSent(1);
        byte[] b = vector(name);
        assertThat(RtcpTranslator.isValidCompound(b, 0, b.length)).isTrue();
        int len = (name.startsWith("chromium") ? fromBrowser : fromSip).translate(b, 0, b.length);
        assertThat(len).isPositive();
        assertThat(RtcpTranslator.isValidCompound(b, 0, len)).isTrue();
        assertThat(b[1] & 0xff).isIn(200, 201);
    }

    @Test
    void rejectsCompoundsThatBreakRfc3550AppendixA2() {
        byte[] good = vector("asterisk-rr-sdes-bye.rtcp.hex");
        assertThat(fromSip.translate(good.clone(), 0, good.length - 4)).as("truncated").isEqualTo(-1);
        assertThat(fromSip.translate(Arrays.copyOf(good, good.length + 4), 0, good.length + 4))
                .as("trailing bytes").isEqualTo(-1);
        byte[] sdesFirst = Arrays.copyOfRange(good, 32, good.length);
        assertThat(fromSip.translate(sdesFirst, 0, sdesFirst.length)).as("SDES first").isEqualTo(-1);
        byte[] badVersion = good.clone();
        badVersion[32] = (byte) 0x41;
        assertThat(fromSip.translate(badVersion, 0, badVersion.length)).as("version 1 inside").isEqualTo(-1);
        byte[] paddedFirst = good.clone();
        paddedFirst[0] |= 0x20;
        assertThat(fromSip.translate(paddedFirst, 0, paddedFirst.length)).as("padding before the last").isEqualTo(-1);
        byte[] tooManyBlocks = good.clone();
        tooManyBlocks[0] = (byte) 0x82;
        assertThat(fromSip.translate(tooManyBlocks, 0, tooManyBlocks.length)).as("RC beyond length").isEqualTo(-1);
        assertThat(fromSip.translate(good, 0, 7)).isEqualTo(-1);
        assertThat(fromSip.translate(good, 60, 40)).isEqualTo(-1);
        assertThat(fromSip.translate(null, 0, 8)).isEqualTo(-1);
    }

    @Test
    void acceptsPaddingOnTheLastPacket() {
        byte[] b = vector("chromium-rr-transport-cc.rtcp.hex");
        assertThat(RtcpTranslator.isValidCompound(b, 0, b.length)).isTrue();
        b[b.length - 1] = 0;
        assertThat(RtcpTranslator.isValidCompound(b, 0, b.length)).as("padding count 0").isFalse();
    }

    @Test
    void refusesTheSameRewriterBothWays() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RtcpTranslator(toSip, toSip))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package org.pasarela.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RtpHeaderTest {

    @Test
    void readsChromiumOpusWithHeaderExtensions() {
        byte[] b = TestPackets.vector("chromium-opus-audio-level-twcc.rtp.hex");
        assertThat(RtpHeader.isValid(b, 0, b.length)).isTrue();
        assertThat(RtpHeader.version(b, 0)).isEqualTo(2);
        assertThat(RtpHeader.hasExtension(b, 0)).isTrue();
        assertThat(RtpHeader.hasPadding(b, 0)).isFalse();
        assertThat(RtpHeader.csrcCount(b, 0)).isZero();
        assertThat(RtpHeader.marker(b, 0)).isFalse();
        assertThat(RtpHeader.payloadType(b, 0)).isEqualTo(111);
        assertThat(RtpHeader.sequenceNumber(b, 0)).isEqualTo(0x2a10);
        assertThat(RtpHeader.timestamp(b, 0)).isEqualTo(0x00bb8000);
        assertThat(RtpHeader.ssrc(b, 0)).isEqualTo(0x5e1f2a3b);
        assertThat(RtpHeader.headerLength(b, 0)).isEqualTo(12 + 4 + 8);
        assertThat(RtpHeader.payloadOffset(b, 0)).isEqualTo(24);
        assertThat(RtpHeader.payloadLength(b, 0, b.length)).isEqualTo(10);
        assertThat(b[RtpHeader.payloadOffset(b, 0)]).isEqualTo((byte) 0x78);
    }

    @Test
    void readsPaddedPcmuAndExcludesPaddingFromPayload() {
        byte[] b = TestPackets.vector("hand-built-pcmu-padded.rtp.hex");
        assertThat(RtpHeader.isValid(b, 0, b.length)).isTrue();
        assertThat(RtpHeader.hasPadding(b, 0)).isTrue();
        assertThat(RtpHeader.sequenceNumber(b, 0)).isEqualTo(65535);
        assertThat(RtpHeader.payloadLength(b, 0, b.length)).isEqualTo(8);
    }

    @Test
    void readsMixerPacketWithCsrcList() {
        byte[] b = TestPackets.vector("hand-built-mixer-two-csrc.rtp.hex");
        assertThat(RtpHeader.isValid(b, 0, b.length)).isTrue();
        assertThat(RtpHeader.csrcCount(b, 0)).isEqualTo(2);
        assertThat(RtpHeader.marker(b, 0)).isTrue();
        assertThat(RtpHeader.payloadType(b, 0)).isEqualTo(8);
        assertThat(RtpHeader.headerLength(b, 0)).isEqualTo(20);
        assertThat(RtpHeader.payloadLength(b, 0, b.length)).isEqualTo(4);
    }

    @Test
    void writersChangeOnlyTheirField() {
        byte[] b = TestPackets.vector("hand-built-mixer-two-csrc.rtp.hex");
        byte[] before = b.clone();
        RtpHeader.setPayloadType(b, 0, 0);
        assertThat(RtpHeader.marker(b, 0)).as("marker survives a PT change").isTrue();
        RtpHeader.setMarker(b, 0, false);
        assertThat(RtpHeader.payloadType(b, 0)).as("PT survives a marker change").isZero();
        RtpHeader.setSequenceNumber(b, 0, 0xfffe);
        RtpHeader.setTimestamp(b, 0, 0xfffffff0);
        RtpHeader.setSsrc(b, 0, 0x80000001);
        assertThat(RtpHeader.sequenceNumber(b, 0)).isEqualTo(0xfffe);
        assertThat(RtpHeader.timestamp(b, 0)).isEqualTo(0xfffffff0);
        assertThat(RtpHeader.ssrc(b, 0)).isEqualTo(0x80000001);
        assertThat(b[0]).isEqualTo(before[0]);
        assertThat(java.util.Arrays.copyOfRange(b, 12, b.length))
                .isEqualTo(java.util.Arrays.copyOfRange(before, 12, b.length));
    }

    @Test
    void worksAtAnOffset() {
        byte[] packet = TestPackets.rtp(0, 7, 160, 42, 160);
        byte[] b = new byte[300];
        System.arraycopy(packet, 0, b, 100, packet.length);
        assertThat(RtpHeader.isValid(b, 100, packet.length)).isTrue();
        assertThat(RtpHeader.sequenceNumber(b, 100)).isEqualTo(7);
        assertThat(RtpHeader.payloadOffset(b, 100)).isEqualTo(112);
        assertThat(RtpHeader.isValid(b, 200, packet.length)).as("runs past the buffer").isFalse();
    }

    @Test
    void rejectsWrongVersion() {
        byte[] b = TestPackets.rtp(0, 1, 1, 1, 4);
        b[0] = (byte) 0x40;
        assertThat(RtpHeader.isValid(b, 0, b.length)).isFalse();
        b[0] = 0;
        assertThat(RtpHeader.isValid(b, 0, b.length)).isFalse();
    }

    @Test
    void rejectsCsrcListLongerThanThePacket() {
        byte[] b = TestPackets.rtp(0, 1, 1, 1, 8);
        b[0] = (byte) 0x82;
        assertThat(RtpHeader.isValid(b, 0, 20)).isTrue();
        assertThat(RtpHeader.isValid(b, 0, 19)).isFalse();
        b[0] = (byte) 0x83;
        assertThat(RtpHeader.isValid(b, 0, b.length)).isFalse();
    }

    @Test
    void rejectsExtensionLongerThanThePacket() {
        byte[] b = TestPackets.vector("chromium-opus-audio-level-twcc.rtp.hex");
        assertThat(RtpHeader.isValid(b, 0, 24)).as("header ends exactly at the buffer").isTrue();
        assertThat(RtpHeader.isValid(b, 0, 23)).isFalse();
        assertThat(RtpHeader.isValid(b, 0, 15)).as("extension header itself cut").isFalse();
        b[15] = 9;
        assertThat(RtpHeader.isValid(b, 0, b.length)).isFalse();
    }

    @Test
    void rejectsZeroPaddingAndPaddingReachingIntoTheHeader() {
        byte[] b = TestPackets.rtp(0, 1, 1, 1, 4);
        b[0] = (byte) 0xa0;
        b[b.length - 1] = 0;
        assertThat(RtpHeader.isValid(b, 0, b.length)).isFalse();
        b[b.length - 1] = 4;
        assertThat(RtpHeader.isValid(b, 0, b.length)).as("padding is the whole payload").isTrue();
        assertThat(RtpHeader.payloadLength(b, 0, b.length)).isZero();
        b[b.length - 1] = 5;
        assertThat(RtpHeader.isValid(b, 0, b.length)).isFalse();
    }

    @Test
    void rejectsTooShortAndOutOfBoundsRanges() {
        byte[] b = TestPackets.rtp(0, 1, 1, 1, 0);
        assertThat(RtpHeader.isValid(b, 0, 12)).isTrue();
        assertThat(RtpHeader.isValid(b, 0, 11)).isFalse();
        assertThat(RtpHeader.isValid(b, 1, 12)).isFalse();
        assertThat(RtpHeader.isValid(b, -1, 12)).isFalse();
        assertThat(RtpHeader.isValid(null, 0, 12)).isFalse();
    }
}

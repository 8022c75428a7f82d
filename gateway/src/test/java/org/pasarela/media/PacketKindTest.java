package org.pasarela.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class PacketKindTest {

    /** RFC 5769 §2.1 sample request: the first 20 bytes (header) are what classification looks at. */
    private static final byte[] STUN_BINDING_REQUEST = HexFormat.of().parseHex(
            "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74");

    @Test
    void stunBindingRequestFromRfc5769IsStun() {
        assertThat(PacketKind.classify(STUN_BINDING_REQUEST, 0, STUN_BINDING_REQUEST.length))
                .isEqualTo(PacketKind.STUN);
    }

    @ParameterizedTest
    @CsvSource({
            "0x00, 20, STUN", "0x03, 20, STUN", "0x00, 19, UNKNOWN",
            "0x10, 40, UNKNOWN",                              // ZRTP
            "0x14, 13, DTLS", "0x16, 100, DTLS", "0x3f, 13, DTLS", "0x16, 12, UNKNOWN",
            "0x40, 40, UNKNOWN", "0x4f, 40, UNKNOWN",         // TURN ChannelData
            "0x50, 40, UNKNOWN", "0x7f, 40, UNKNOWN", "0xc0, 40, UNKNOWN", "0xff, 40, UNKNOWN",
    })
    void firstByteDecidesPerRfc7983(String first, int len, PacketKind expected) {
        byte[] b = new byte[len];
        b[0] = (byte) Integer.decode(first).intValue();
        assertThat(PacketKind.classify(b, 0, len)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "0, RTP", "0x80, RTP",       // PCMU, with and without marker
            "111, RTP", "0xef, RTP",     // Opus 111 / with marker
            "63, RTP", "96, RTP", "127, RTP",
            "200, RTCP", "201, RTCP", "202, RTCP", "205, RTCP", "206, RTCP", "207, RTCP",
            "192, RTCP", "223, RTCP",
            "64, RTCP", "95, RTCP",      // PT 64-95 with the marker clear collide with RTCP: RFC 5761 §4 forbids them
    })
    void secondByteSeparatesRtpFromRtcpPerRfc5761(String second, PacketKind expected) {
        byte[] b = new byte[12];
        b[0] = (byte) 0x80;
        b[1] = (byte) Integer.decode(second).intValue();
        assertThat(PacketKind.classify(b, 0, b.length)).isEqualTo(expected);
    }

    @Test
    void rtcpNeedsEightBytesAndRtpTwelve() {
        byte[] b = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 0, 0, 0, 0};
        assertThat(PacketKind.classify(b, 0, 8)).isEqualTo(PacketKind.RTCP);
        assertThat(PacketKind.classify(b, 0, 7)).isEqualTo(PacketKind.UNKNOWN);
        b[1] = 0;
        assertThat(PacketKind.classify(b, 0, 11)).isEqualTo(PacketKind.UNKNOWN);
    }

    @Test
    void classifiesAtAnOffsetInsideALargerBuffer() {
        byte[] b = new byte[64];
        b[10] = (byte) 0x80;
        b[11] = (byte) 200;
        assertThat(PacketKind.classify(b, 10, 28)).isEqualTo(PacketKind.RTCP);
        assertThat(PacketKind.classify(b, 0, 28)).isEqualTo(PacketKind.STUN);
    }

    @Test
    void rangesOutsideTheBufferAreUnknownNotExceptions() {
        byte[] b = new byte[20];
        b[0] = (byte) 0x80;
        assertThat(PacketKind.classify(null, 0, 12)).isEqualTo(PacketKind.UNKNOWN);
        assertThat(PacketKind.classify(b, -1, 12)).isEqualTo(PacketKind.UNKNOWN);
        assertThat(PacketKind.classify(b, 10, 12)).isEqualTo(PacketKind.UNKNOWN);
        assertThat(PacketKind.classify(b, 0, 0)).isEqualTo(PacketKind.UNKNOWN);
        assertThat(PacketKind.classify(b, 0, -5)).isEqualTo(PacketKind.UNKNOWN);
        assertThat(PacketKind.classify(b, Integer.MAX_VALUE, 12)).isEqualTo(PacketKind.UNKNOWN);
    }

    @ParameterizedTest
    @MethodSource("org.pasarela.media.PacketKindTest#rtpVectors")
    void rtpVectorsAreRtp(String name) {
        byte[] b = TestPackets.vector(name);
        assertThat(PacketKind.classify(b, 0, b.length)).isEqualTo(PacketKind.RTP);
    }

    @ParameterizedTest
    @MethodSource("org.pasarela.media.PacketKindTest#rtcpVectors")
    void rtcpVectorsAreRtcp(String name) {
        byte[] b = TestPackets.vector(name);
        assertThat(PacketKind.classify(b, 0, b.length)).isEqualTo(PacketKind.RTCP);
    }

    static java.util.List<String> rtpVectors() {
        return TestPackets.vectors(".rtp.hex");
    }

    static java.util.List<String> rtcpVectors() {
        return TestPackets.vectors(".rtcp.hex");
    }
}

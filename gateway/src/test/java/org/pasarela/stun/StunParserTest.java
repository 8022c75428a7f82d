package org.pasarela.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** One test per validation rule of {@link StunParser}: each bad message is refused with a message naming why. */
class StunParserTest {
    private static final byte[] ID = StunVectors.hex("000102030405060708090a0b");

    private static byte[] request() {
        return StunVectors.read("rfc5769-2.1-sample-request.hex").bytes();
    }

    /** A message of the given attributes (already encoded) with a correct header. */
    private static byte[] message(String attributesHex) {
        byte[] attrs = StunVectors.hex(attributesHex);
        byte[] out = new byte[20 + attrs.length];
        out[1] = 1;
        out[2] = (byte) (attrs.length >> 8);
        out[3] = (byte) attrs.length;
        System.arraycopy(StunVectors.hex("2112a442"), 0, out, 4, 4);
        System.arraycopy(ID, 0, out, 8, 12);
        System.arraycopy(attrs, 0, out, 20, attrs.length);
        return out;
    }

    private static void assertRefused(byte[] b, String message) {
        assertThatThrownBy(() -> StunParser.parse(b, 0, b.length)).isInstanceOf(StunException.class)
                .hasMessageContaining(message);
    }

    @Test
    void parsesAMessageAtAnOffsetInsideALargerBuffer() {
        byte[] b = request();
        byte[] big = new byte[b.length + 40];
        System.arraycopy(b, 0, big, 17, b.length);

        StunMessage m = StunParser.parse(big, 17, b.length);

        assertThat(m.username()).isEqualTo("evtj:h6vY");
        assertThat(StunIntegrity.forPassword(StunVectorsTest.RFC5769_PASSWORD).verify(m)).isTrue();
    }

    @Test
    void refusesANullBufferAndOutOfRangeOffsets() {
        assertThatThrownBy(() -> StunParser.parse(null, 0, 20)).isInstanceOf(StunException.class)
                .hasMessage("buffer is null");
        assertThatThrownBy(() -> StunParser.parse(new byte[30], 20, 20)).isInstanceOf(StunException.class)
                .hasMessage("offset 20 and length 20 lie outside a buffer of 30 bytes");
        assertThatThrownBy(() -> StunParser.parse(new byte[30], -1, 20)).isInstanceOf(StunException.class);
    }

    @Test
    void refusesAMessageShorterThanTheHeader() {
        assertRefused(new byte[19], "message of 19 bytes is shorter than the 20-byte STUN header");
    }

    @Test
    void refusesAMessageLongerThanTheLimit() {
        byte[] b = message("");
        assertThatThrownBy(() -> StunParser.parse(b, 0, b.length, 16)).isInstanceOf(StunException.class)
                .hasMessage("message of 20 bytes exceeds the 16-byte limit");
        assertRefused(new byte[1281], "exceeds the 1280-byte limit");
    }

    @Test
    void refusesMessagesWhoseLeadingBitsAreSet() {
        byte[] b = message("");
        b[0] = (byte) 0x80; // RTP/RTCP per RFC 7983
        assertRefused(b, "first two bits of the message type are not zero (0x80)");
    }

    @Test
    void refusesALengthThatIsNotAMultipleOfFour() {
        byte[] b = message("");
        b[3] = 2;
        assertRefused(b, "message length 2 is not a multiple of 4");
    }

    @Test
    void refusesALengthFieldThatDisagreesWithTheDatagram() {
        byte[] b = message("00250000");
        b[3] = 8;
        assertRefused(b, "message length field says 8 bytes of attributes but 4 follow the header");
    }

    @Test
    void refusesAWrongMagicCookie() {
        byte[] b = message("");
        b[4] = 0;
        assertRefused(b, "magic cookie is 0x12a442, expected 0x2112a442");
    }

    @Test
    void refusesAnAttributeWhoseLengthRunsPastTheMessage() {
        assertRefused(message("00060009 61626364 65666768"), "USERNAME at offset 20: length 9 (12 with padding)"
                + " runs past the end of the message");
        assertRefused(message("8022000400000000" + "00060008 61626364"), "USERNAME at offset 28: length 8 runs past");
    }

    @Test
    void refusesAHalfAttributeHeader() {
        // the length field is a multiple of 4, so a lone half header can only show up as a short datagram
        byte[] b = message("00250000" + "0024");
        assertRefused(b, "message length 6 is not a multiple of 4");
        byte[] aligned = Arrays.copyOf(message("00250000" + "0024"), 28);
        aligned[3] = 8;
        assertRefused(aligned, "PRIORITY at offset 24: length 0, expected 4");
    }

    @Test
    void refusesAFingerprintThatDoesNotMatch() {
        byte[] b = request();
        b[b.length - 1] ^= 1;
        assertRefused(b, "FINGERPRINT at offset 100 is 0xe57a3bce, the message's is 0xe57a3bcf");
    }

    @Test
    void refusesAnAttributeAfterFingerprint() {
        byte[] b = message("80280004 00000000" + "00250000");
        int crc = StunFingerprint.compute(b, 0, 20); // a correct FINGERPRINT, so only its position is wrong
        b[24] = (byte) (crc >> 24);
        b[25] = (byte) (crc >> 16);
        b[26] = (byte) (crc >> 8);
        b[27] = (byte) crc;
        assertRefused(b, "attribute at offset 28 follows FINGERPRINT, which must be last");
    }

    @Test
    void refusesFixedSizeAttributesOfTheWrongSize() {
        assertRefused(message("00080004 00000000"), "MESSAGE-INTEGRITY at offset 20: length 4, expected 20");
        assertRefused(message("80280008 0000000000000000"), "FINGERPRINT at offset 20: length 8, expected 4");
        assertRefused(message("802a0004 00000000"), "ICE-CONTROLLING at offset 20: length 4, expected 8");
        assertRefused(message("80290004 00000000"), "ICE-CONTROLLED at offset 20: length 4, expected 8");
        assertRefused(message("00250004 00000000"), "USE-CANDIDATE at offset 20: length 4, expected 0");
    }

    @Test
    void refusesAnXorMappedAddressOfUnknownFamilyOrWrongSize() {
        assertRefused(message("00200008 0003a147e112a643"), "XOR-MAPPED-ADDRESS at offset 20: unknown address "
                + "family 0x3");
        assertRefused(message("00200014 0001a147e112a643" + "00".repeat(12)), "XOR-MAPPED-ADDRESS at offset 20: "
                + "length 20, expected 8");
        assertRefused(message("00200002 00010000"), "length 2 is too short for family and port");
    }

    @Test
    void refusesAnOverlongUsername() {
        byte[] value = new byte[514];
        Arrays.fill(value, (byte) 'a');
        byte[] out = new byte[600];
        byte[] b = Arrays.copyOf(out,
                new StunWriter().start(out, 0, StunMessage.BINDING_REQUEST, ID, 0).username(value).length());
        assertRefused(b, "USERNAME at offset 20: length 514 exceeds 513");
    }

    @Test
    void refusesAnErrorCodeOutsideThe300To699Range() {
        assertRefused(message("00090004 00000263"), "ERROR-CODE at offset 20: class 2 number 99 is not a 300..699");
        assertRefused(message("00090004 00000464"), "class 4 number 100");
        assertRefused(message("00090002 00000000"), "ERROR-CODE at offset 20: length 2 is shorter than 4");
    }

    @Test
    void readsErrorCodeAndReason() {
        StunMessage m = parse(message("00090011 00000457 526f6c6520436f6e666c696374 000000"));
        assertThat(m.errorCode()).isEqualTo(487);
        assertThat(m.errorReason()).isEqualTo("Role Conflict");
    }

    @Test
    void collectsUnknownComprehensionRequiredAttributesOnceEachAndSkipsOptionalOnes() {
        StunMessage m = parse(message("7f000000" + "c0570004 0001000a" + "001c0000" + "7f000000" + "00150000"));
        assertThat(m.unknownComprehensionRequired()).containsExactly(0x7f00, 0x001c, 0x0015);
    }

    @Test
    void capsTheUnknownAttributeListAtSixteen() {
        StringBuilder attrs = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            attrs.append(String.format("%04x0000", 0x7000 + i));
        }
        assertThat(parse(message(attrs.toString())).unknownComprehensionRequired()).hasSize(16);
    }

    @Test
    void ignoresAttributesAfterMessageIntegrityExceptFingerprint() {
        // RFC 8489 §14.5: USE-CANDIDATE and an unknown comprehension-required type after MI do not count
        StunMessage m = parse(message("00080014" + "00".repeat(20) + "00250000" + "7f000000"));
        assertThat(m.useCandidate()).isFalse();
        assertThat(m.hasUnknownComprehensionRequired()).isFalse();
        assertThat(m.hasMessageIntegrity()).isTrue();
    }

    @Test
    void keepsTheFirstOfDuplicatedAttributes() {
        StunMessage m = parse(message("00060004 61626364" + "00060004 77787978" + "00240004 00000001"
                + "00240004 00000002"));
        assertThat(m.username()).isEqualTo("abcd");
        assertThat(m.priority()).isEqualTo(1);
    }

    @Test
    void refusesAnOddUnknownAttributesList() {
        assertRefused(message("000a0003 00010200"), "UNKNOWN-ATTRIBUTES at offset 20: length 3 is not a whole");
    }

    @Test
    void reportsAbsentAttributesAsAnIllegalStateNotAParseError() {
        StunMessage m = parse(message(""));
        assertThatThrownBy(m::username).isInstanceOf(IllegalStateException.class).hasMessage("message has no USERNAME");
        assertThat(m.software()).isEmpty();
        assertThat(m.unknownComprehensionRequired()).isEmpty();
        assertThat(StunIntegrity.forPassword("pw").verify(m)).isFalse();
        assertThat(m.usernameEquals("x".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void recognisesStunForDemultiplexing() {
        byte[] b = request();
        assertThat(StunParser.looksLikeStun(b, 0, b.length)).isTrue();
        assertThat(StunParser.looksLikeStun(new byte[] {(byte) 0x80, 0, 0, 0}, 0, 4)).isFalse();
        assertThat(StunParser.looksLikeStun(b, 0, 19)).isFalse();
        assertThat(StunParser.looksLikeStun(b, 100, 20)).isFalse();
    }

    private static StunMessage parse(byte[] b) {
        return StunParser.parse(b, 0, b.length);
    }
}

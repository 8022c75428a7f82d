package org.pasarela.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every vectors/stun/*.hex parses, passes FINGERPRINT and MESSAGE-INTEGRITY, and carries the values it states. */
class StunVectorsTest {
    static final byte[] RFC5769_TRANSACTION_ID = StunVectors.hex("b7e7a701bc34d686fa87dfae");
    static final String RFC5769_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";

    static List<StunVectors> vectors() {
        return StunVectors.all();
    }

    @Test
    void folderHoldsTheRfcAndChromiumShapedVectors() {
        assertThat(vectors()).extracting(StunVectors::name).contains("rfc5769-2.1-sample-request.hex",
                "rfc5769-2.2-ipv4-response.hex", "rfc5769-2.3-ipv6-response.hex",
                "chromium-shaped-binding-request-use-candidate.hex");
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void parsesAndAuthenticatesWithTheStatedPassword(StunVectors v) {
        StunMessage m = StunParser.parse(v.bytes(), 0, v.bytes().length);

        assertThat(m.hasFingerprint()).isTrue();
        assertThat(StunIntegrity.forPassword(v.notes().get("password")).verify(m)).isTrue();
        assertThat(StunIntegrity.forPassword(v.notes().get("password") + "x").verify(m)).isFalse();
        assertThat(m.hasUnknownComprehensionRequired()).isFalse();
        if (v.notes().containsKey("username")) {
            assertThat(m.username()).isEqualTo(v.notes().get("username"));
            assertThat(m.usernameEquals(v.notes().get("username").getBytes(StandardCharsets.UTF_8))).isTrue();
        }
        if (v.notes().containsKey("software")) {
            assertThat(m.software()).contains(v.notes().get("software"));
        }
        if (v.notes().containsKey("mapped")) {
            assertThat(m.xorMappedAddress()).hasToString(v.notes().get("mapped"));
        }
    }

    @Test
    void readsTheIceAttributesOfTheRfc5769Request() {
        byte[] b = StunVectors.read("rfc5769-2.1-sample-request.hex").bytes();
        StunMessage m = StunParser.parse(b, 0, b.length);

        assertThat(m.isBindingRequest()).isTrue();
        assertThat(m.messageClass()).isEqualTo(StunMessage.MessageClass.REQUEST);
        assertThat(m.method()).isEqualTo(StunMessage.METHOD_BINDING);
        assertThat(m.transactionIdEquals(RFC5769_TRANSACTION_ID)).isTrue();
        assertThat(m.priority()).isEqualTo(0x6e0001ffL);
        assertThat(m.iceControlled()).isEqualTo(0x932ff9b151263b36L);
        assertThat(m.hasIceControlling()).isFalse();
        assertThat(m.useCandidate()).isFalse();
    }

    @Test
    void readsTheIpv6MappedAddressOfTheRfc5769Response() {
        byte[] b = StunVectors.read("rfc5769-2.3-ipv6-response.hex").bytes();
        StunMessage m = StunParser.parse(b, 0, b.length);

        assertThat(m.messageClass()).isEqualTo(StunMessage.MessageClass.SUCCESS_RESPONSE);
        assertThat(m.xorMappedAddress()).isEqualTo(new TransportAddress(
                StunVectors.hex("20010db8123456780011223344556677"), 32853));
    }

    @Test
    void skipsChromiumsNetworkInfoAndReadsNomination() {
        byte[] b = StunVectors.read("chromium-shaped-binding-request-use-candidate.hex").bytes();
        StunMessage m = StunParser.parse(b, 0, b.length);

        assertThat(m.useCandidate()).isTrue();
        assertThat(m.iceControlling()).isEqualTo(0x5fa3b1e27c4d9086L);
        assertThat(m.priority()).isEqualTo(1845501695L);
        assertThat(m.hasUnknownComprehensionRequired()).isFalse();
    }

    @Test
    void writerReproducesTheRfc5769RequestByteForByte() {
        byte[] expected = StunVectors.read("rfc5769-2.1-sample-request.hex").bytes();
        byte[] out = new byte[200];

        int n = new StunWriter((byte) ' ').start(out, 0, StunMessage.BINDING_REQUEST, RFC5769_TRANSACTION_ID, 0)
                .software("STUN test client".getBytes(StandardCharsets.UTF_8)).priority(0x6e0001ffL)
                .iceControlled(0x932ff9b151263b36L).username("evtj:h6vY".getBytes(StandardCharsets.UTF_8))
                .messageIntegrity(StunIntegrity.forPassword(RFC5769_PASSWORD)).fingerprint().length();

        assertThat(java.util.Arrays.copyOf(out, n)).isEqualTo(expected);
    }

    @Test
    void writerReproducesTheRfc5769Ipv4ResponseByteForByte() {
        assertWriterReproducesResponse("rfc5769-2.2-ipv4-response.hex",
                new TransportAddress(new byte[] {(byte) 192, 0, 2, 1}, 32853));
    }

    @Test
    void writerReproducesTheRfc5769Ipv6ResponseByteForByte() {
        assertWriterReproducesResponse("rfc5769-2.3-ipv6-response.hex",
                new TransportAddress(StunVectors.hex("20010db8123456780011223344556677"), 32853));
    }

    @Test
    void writerReproducesTheHandBuiltResponseToAChromiumShapedCheck() {
        byte[] request = StunVectors.read("chromium-shaped-binding-request-use-candidate.hex").bytes();
        StunVectors expected = StunVectors.read("chromium-shaped-binding-success-response.hex");
        byte[] out = new byte[100];

        int n = new StunWriter().bindingSuccess(out, 0, StunParser.parse(request, 0, request.length),
                new TransportAddress(new byte[] {(byte) 192, 0, 2, 44}, 54321),
                StunIntegrity.forPassword(expected.notes().get("password")));

        assertThat(java.util.Arrays.copyOf(out, n)).isEqualTo(expected.bytes());
    }

    private static void assertWriterReproducesResponse(String vector, TransportAddress mapped) {
        byte[] expected = StunVectors.read(vector).bytes();
        byte[] out = new byte[7 + 200];

        int n = new StunWriter((byte) ' ')
                .start(out, 7, StunMessage.BINDING_SUCCESS_RESPONSE, RFC5769_TRANSACTION_ID, 0)
                .software("test vector".getBytes(StandardCharsets.UTF_8)).xorMappedAddress(mapped)
                .messageIntegrity(StunIntegrity.forPassword(RFC5769_PASSWORD)).fingerprint().length();

        assertThat(java.util.Arrays.copyOfRange(out, 7, 7 + n)).isEqualTo(expected);
    }
}

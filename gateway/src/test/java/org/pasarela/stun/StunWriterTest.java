package org.pasarela.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Responses written by {@link StunWriter} parse back with the values that went in, at any buffer offset. */
class StunWriterTest {
    private static final StunIntegrity KEY = StunIntegrity.forPassword("Xb3kQ9zP2mW7tR5vN8cJ4hLd");
    private static final TransportAddress SOURCE = new TransportAddress(new byte[] {10, 0, 0, 7}, 40000);
    private final byte[] out = new byte[300];

    private static StunMessage request(String vector) {
        byte[] b = StunVectors.read(vector).bytes();
        return StunParser.parse(b, 0, b.length);
    }

    private StunMessage parseOut(int off, int length) {
        return StunParser.parse(out, off, length);
    }

    @Test
    void bindingSuccessEchoesTheTransactionAndMapsTheSource() {
        StunMessage request = request("chromium-shaped-binding-request.hex");

        int n = new StunWriter().bindingSuccess(out, 5, request, SOURCE, KEY);

        StunMessage response = parseOut(5, n);
        assertThat(response.type()).isEqualTo(StunMessage.BINDING_SUCCESS_RESPONSE);
        assertThat(response.transactionId()).isEqualTo(request.transactionId());
        assertThat(response.xorMappedAddress()).isEqualTo(SOURCE);
        assertThat(KEY.verify(response)).isTrue();
        assertThat(response.hasFingerprint()).isTrue();
        assertThat(n).isEqualTo(20 + 12 + 24 + 8);
    }

    @Test
    void unauthenticatedAndBadRequestErrorsCarryNoMessageIntegrity() {
        StunMessage request = request("chromium-shaped-binding-request.hex");
        for (StunError error : new StunError[] {StunError.BAD_REQUEST, StunError.UNAUTHENTICATED}) {
            int n = new StunWriter().bindingError(out, 0, request, error, null);

            StunMessage response = parseOut(0, n);
            assertThat(response.type()).isEqualTo(StunMessage.BINDING_ERROR_RESPONSE);
            assertThat(response.errorCode()).isEqualTo(error.code());
            assertThat(response.hasMessageIntegrity()).isFalse();
            assertThat(response.hasFingerprint()).isTrue();
        }
    }

    @Test
    void roleConflictIsAuthenticatedAndNamed() {
        int n = new StunWriter().bindingError(out, 0, request("chromium-shaped-binding-request.hex"),
                StunError.ROLE_CONFLICT, KEY);

        StunMessage response = parseOut(0, n);
        assertThat(response.errorCode()).isEqualTo(487);
        assertThat(response.errorReason()).isEqualTo("Role Conflict");
        assertThat(KEY.verify(response)).isTrue();
    }

    @Test
    void unknownAttributeErrorListsTheRequestsUnknownTypes() {
        byte[] in = new byte[200];
        byte[] id = StunVectors.hex("aabbccddeeff001122334455");
        int len = new StunWriter().start(in, 0, StunMessage.BINDING_REQUEST, id, 0).attribute(0x7f01, new byte[3])
                .attribute(0x001c, new byte[32]).messageIntegrity(KEY).fingerprint().length();
        StunMessage request = StunParser.parse(in, 0, len);

        int n = new StunWriter().bindingError(out, 0, request, StunError.UNKNOWN_ATTRIBUTE, KEY);

        StunMessage response = parseOut(0, n);
        assertThat(response.errorCode()).isEqualTo(420);
        assertThat(response.errorReason()).isEqualTo("Unknown Attribute");
        assertThat(KEY.verify(response)).isTrue();
        int unknownAt = 20 + 4 + 4 + 20; // after ERROR-CODE's header, code and padded 17-byte reason
        assertThat(java.util.Arrays.copyOfRange(out, unknownAt, unknownAt + 8))
                .isEqualTo(StunVectors.hex("000a0004 7f01001c"));
    }

    @Test
    void refusesABufferTooSmallNamingTheAttribute() {
        StunMessage request = request("chromium-shaped-binding-request.hex");
        byte[] small = new byte[40];

        assertThatThrownBy(() -> new StunWriter().bindingSuccess(small, 0, request, SOURCE, KEY))
                .isInstanceOf(StunException.class)
                .hasMessage("MESSAGE-INTEGRITY needs 24 bytes at offset 32 but the buffer has 8 left");
        assertThatThrownBy(() -> new StunWriter().bindingSuccess(small, 30, request, SOURCE, KEY))
                .isInstanceOf(StunException.class)
                .hasMessage("header needs 20 bytes at offset 0 but the buffer has 10 left");
    }

    @Test
    void refusesOutOfRangeValues() {
        StunWriter w = new StunWriter().start(out, 0, 1, new byte[12], 0);
        assertThatThrownBy(() -> w.priority(1L << 32)).isInstanceOf(StunException.class)
                .hasMessage("PRIORITY 4294967296 does not fit 32 bits");
        assertThatThrownBy(() -> new StunWriter().start(out, 0, 0x4000, new byte[12], 0))
                .isInstanceOf(StunException.class).hasMessage("message type 0x4000 does not fit 14 bits");
        assertThatThrownBy(() -> new StunWriter().start(out, 0, 1, new byte[11], 0))
                .isInstanceOf(StunException.class).hasMessage("transaction id needs 12 bytes at offset 0");
        assertThatThrownBy(() -> new StunWriter().useCandidate()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void writesEveryIceRequestAttributeReadableByTheParser() {
        byte[] id = StunVectors.hex("0102030405060708090a0b0c");
        int n = new StunWriter().start(out, 0, StunMessage.BINDING_REQUEST, id, 0)
                .username("gwufrag:browserufrag".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .iceControlling(-2L).useCandidate().priority(0xFFFFFFFFL).messageIntegrity(KEY).fingerprint()
                .length();

        StunMessage m = parseOut(0, n);
        assertThat(m.username()).isEqualTo("gwufrag:browserufrag");
        assertThat(m.iceControlling()).isEqualTo(-2L);
        assertThat(m.useCandidate()).isTrue();
        assertThat(m.priority()).isEqualTo(0xFFFFFFFFL);
        assertThat(KEY.verify(m)).isTrue();
    }
}

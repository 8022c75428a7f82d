package org.pasarela.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** Every way a request can be refused: the code, the exact reason, and the id/call echoed back. */
class ProtocolErrorTest {
    private static final String OFFER = "\"jsep\":{\"type\":\"offer\",\"sdp\":\"v=0\"}";
    private final SignalingCodec codec = new SignalingCodec();

    private ProtocolException refusal(String text) {
        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> codec.decode(text));
        assertThat(e).as("decode must refuse %s", text).isNotNull();
        return e;
    }

    @Test
    void malformedJsonKeepsJacksonsLocationButNotItsSourceDump() {
        ProtocolException e = refusal("{\"type\":\"call\",,}");

        assertThat(e.code()).isEqualTo(ErrorCodes.BAD_REQUEST);
        assertThat(e.getMessage()).startsWith("malformed JSON at line 1 column 16: Unexpected character (',' ")
                .doesNotContain("Source").doesNotContain("REDACTED");
    }

    @Test
    void malformedJsonOnALaterLineReportsThatLine() {
        assertThat(refusal("{\"type\":\"ping\",\n\"id\":\"9\",\n\"x\": tru}").getMessage())
                .startsWith("malformed JSON at line 3 column ");
    }

    @Test
    void truncatedJsonStillCarriesTheIdReadBeforeTheBreak() {
        ProtocolException e = refusal("{\"type\":\"call\",\"id\":\"2\",\"to\":\"+34");

        assertThat(e.requestId()).contains("2");
        assertThat(e.toErrorMessage().id()).isEqualTo("2");
    }

    @Test
    void refusesTopLevelArray() {
        assertThat(refusal("[1,2]").getMessage()).isEqualTo("message is not a JSON object");
    }

    @Test
    void refusesEmptyAndNullText() {
        assertThat(refusal("").getMessage()).isEqualTo("message is empty");
        assertThat(refusal(null).getMessage()).isEqualTo("message is empty");
    }

    @Test
    void refusesMissingType() {
        ProtocolException e = refusal("{\"id\":\"2\"}");

        assertThat(e.getMessage()).isEqualTo("missing field \"type\"");
        assertThat(e.requestId()).contains("2");
    }

    @Test
    void refusesUnknownTypeNamingIt() {
        assertThat(refusal("{\"type\":\"cal\",\"id\":\"2\"}").getMessage()).isEqualTo("unknown type \"cal\"");
    }

    @Test
    void refusesCallWithoutDestination() {
        ProtocolException e = refusal("{\"type\":\"call\",\"id\":\"2\"," + OFFER + "}");

        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("call: missing field \"to\"");
        assertThat(e.requestId()).contains("2");
    }

    @Test
    void refusesCallWithNumericDestination() {
        assertThat(refusal("{\"type\":\"call\",\"id\":\"2\",\"to\":34931234567," + OFFER + "}").getMessage())
                .isEqualTo("call: field \"to\" must be a string");
    }

    @Test
    void refusesCallWithoutId() {
        assertThat(refusal("{\"type\":\"call\",\"to\":\"100\"," + OFFER + "}").getMessage())
                .isEqualTo("call: missing field \"id\"");
    }

    @Test
    void refusesCallWithoutJsep() {
        assertThat(refusal("{\"type\":\"call\",\"id\":\"2\",\"to\":\"100\"}").getMessage())
                .isEqualTo("call: missing field \"jsep\"");
    }

    @Test
    void refusesCallCarryingAnAnswer() {
        assertThat(refusal("{\"type\":\"call\",\"id\":\"2\",\"to\":\"100\","
                + "\"jsep\":{\"type\":\"answer\",\"sdp\":\"v=0\"}}").getMessage())
                .isEqualTo("call: jsep.type must be \"offer\", got \"answer\"");
    }

    @Test
    void refusesUnknownJsepType() {
        assertThat(refusal("{\"type\":\"call\",\"id\":\"2\",\"to\":\"100\","
                + "\"jsep\":{\"type\":\"rollback\",\"sdp\":\"v=0\"}}").getMessage())
                .isEqualTo("call: jsep.type must be \"offer\", \"answer\" or \"pranswer\", got \"rollback\"");
    }

    @Test
    void refusesJsepWithoutSdp() {
        assertThat(refusal("{\"type\":\"call\",\"id\":\"2\",\"to\":\"100\",\"jsep\":{\"type\":\"offer\"}}")
                .getMessage()).isEqualTo("call: missing field \"jsep.sdp\"");
    }

    @Test
    void refusesJsepSdpThatIsNotAString() {
        assertThat(refusal("{\"type\":\"call\",\"id\":\"2\",\"to\":\"100\","
                + "\"jsep\":{\"type\":\"offer\",\"sdp\":[\"v=0\"]}}").getMessage())
                .isEqualTo("call: field \"jsep.sdp\" must be a string");
    }

    @Test
    void refusesEmptyDestination() {
        assertThat(refusal("{\"type\":\"call\",\"id\":\"2\",\"to\":\"\"," + OFFER + "}").getMessage())
                .isEqualTo("call: field \"to\" must not be empty");
    }

    @Test
    void doesNotEchoTheCallFieldOfACallRequest() {
        ProtocolException e = refusal("{\"type\":\"call\",\"id\":\"2\",\"call\":\"c7\"," + OFFER + "}");

        assertThat(e.call()).isEmpty();
    }

    @Test
    void refusesCandidateWithNumericCall() {
        assertThat(refusal("{\"type\":\"candidate\",\"call\":7,\"candidate\":null}").getMessage())
                .isEqualTo("candidate: field \"call\" must be a string");
    }

    @Test
    void refusesCandidateWithoutCandidateField() {
        ProtocolException e = refusal("{\"type\":\"candidate\",\"call\":\"c1\"}");

        assertThat(e.getMessage()).isEqualTo("candidate: missing field \"candidate\"");
        assertThat(e.call()).contains("c1");
    }

    @Test
    void refusesCandidateThatIsAString() {
        assertThat(refusal("{\"type\":\"candidate\",\"call\":\"c1\",\"candidate\":\"candidate:1 1 udp\"}")
                .getMessage()).isEqualTo("candidate: field \"candidate\" must be an object");
    }

    @Test
    void refusesCandidateWithNegativeMLineIndex() {
        assertThat(refusal("{\"type\":\"candidate\",\"call\":\"c1\",\"candidate\":{\"candidate\":"
                + "\"candidate:1 1 udp 1 192.0.2.2 9 typ host\",\"sdpMLineIndex\":-1}}").getMessage())
                .isEqualTo("candidate: candidate.sdpMLineIndex -1 is outside 0..65535");
    }

    @Test
    void refusesDtmfWithInvalidDigitAndEchoesIdAndCall() {
        ProtocolException e = refusal("{\"type\":\"dtmf\",\"id\":\"6\",\"call\":\"c1\",\"digits\":\"12x\"}");

        assertThat(e.getMessage()).isEqualTo("dtmf: digits \"12x\" may contain only 0-9 A-D * # ,");
        assertThat(e.toErrorMessage()).isEqualTo(new ErrorMessage("6", "c1", 400, e.getMessage()));
    }

    @Test
    void refusesLowercaseDtmfLetters() {
        assertThat(refusal("{\"type\":\"dtmf\",\"call\":\"c1\",\"digits\":\"a\"}").getMessage())
                .isEqualTo("dtmf: digits \"a\" may contain only 0-9 A-D * # ,");
    }

    @Test
    void refusesEmptyAndOverlongDtmf() {
        assertThat(refusal("{\"type\":\"dtmf\",\"call\":\"c1\",\"digits\":\"\"}").getMessage())
                .isEqualTo("dtmf: digits must be 1 to 64 characters, got 0");
        assertThat(refusal("{\"type\":\"dtmf\",\"call\":\"c1\",\"digits\":\"" + "1".repeat(65) + "\"}").getMessage())
                .isEqualTo("dtmf: digits must be 1 to 64 characters, got 65");
    }

    @Test
    void refusesDtmfDurationOutsideRange() {
        assertThat(refusal("{\"type\":\"dtmf\",\"call\":\"c1\",\"digits\":\"1\",\"durationMs\":6001}").getMessage())
                .isEqualTo("dtmf: durationMs 6001 is outside 40..6000");
    }

    @Test
    void refusesDtmfDurationGivenAsString() {
        assertThat(refusal("{\"type\":\"dtmf\",\"call\":\"c1\",\"digits\":\"1\",\"durationMs\":\"100\"}")
                .getMessage()).isEqualTo("dtmf: field \"durationMs\" must be an integer");
    }

    @Test
    void refusesHangupWithoutCall() {
        assertThat(refusal("{\"type\":\"hangup\",\"id\":\"5\"}").getMessage())
                .isEqualTo("hangup: missing field \"call\"");
    }

    @Test
    void refusesLoginWithoutPassword() {
        assertThat(refusal("{\"type\":\"login\",\"id\":\"1\",\"user\":\"alice\"}").getMessage())
                .isEqualTo("login: missing field \"password\" (or \"token\"): give exactly one of them");
    }

    @Test
    void refusesPingWithoutId() {
        assertThat(refusal("{\"type\":\"ping\"}").getMessage()).isEqualTo("ping: missing field \"id\"");
    }

    @Test
    void refusesOverlongIdAndDoesNotEchoIt() {
        ProtocolException e = refusal("{\"type\":\"ping\",\"id\":\"" + "x".repeat(129) + "\"}");

        assertThat(e.getMessage()).isEqualTo("ping: field \"id\" must be 1 to 128 characters, got 129");
        assertThat(e.requestId()).isEmpty();
    }

    @Test
    void refusesTextOverTheSizeLimitWith413() {
        String text = "{\"type\":\"ping\",\"id\":\"9\",\"pad\":\"" + "x".repeat(SignalingCodec.MAX_MESSAGE_BYTES) + "\"}";

        ProtocolException e = refusal(text);

        assertThat(e.code()).isEqualTo(ErrorCodes.TOO_LARGE);
        assertThat(e.getMessage()).isEqualTo("message is larger than 262144 bytes");
    }

    @Test
    void countsTheSizeLimitInUtf8Bytes() {
        String prefix = "{\"type\":\"ping\",\"id\":\"9\",\"pad\":\"";
        String pad = "é".repeat(SignalingCodec.MAX_MESSAGE_BYTES / 2);  // two bytes each: twice the chars' count

        assertThat(refusal(prefix + pad + "\"}").code()).isEqualTo(413);
    }

    @Test
    void refusesNestingDeeperThanSixteen() {
        String deep = "{\"type\":\"ping\",\"id\":\"9\",\"x\":" + "[".repeat(16) + "]".repeat(16) + "}";

        ProtocolException e = refusal(deep);

        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).startsWith("JSON nested deeper than 16 levels at line 1 column ");
        assertThat(e.requestId()).contains("9");
    }

    @Test
    void refusesDuplicateKeysInsteadOfPickingOne() {
        assertThat(refusal("{\"type\":\"hangup\",\"call\":\"c1\",\"call\":\"c2\"}").getMessage())
                .isEqualTo("malformed JSON at line 1 column 36: Duplicate field 'call'");
    }

    @Test
    void refusesTwoMessagesInOneFrame() {
        assertThat(refusal("{\"type\":\"ping\",\"id\":\"1\"}{\"type\":\"ping\",\"id\":\"2\"}").getMessage())
                .isEqualTo("malformed JSON at line 1 column 25: more content after the JSON object");
    }

    @Test
    void errorCodesHaveDefaultReasons() {
        assertThat(ErrorCodes.defaultReason(ErrorCodes.UNAUTHORIZED)).isEqualTo("not logged in");
        assertThat(ErrorCodes.defaultReason(ErrorCodes.CANCELLED)).isEqualTo("cancelled by client");
        assertThat(ErrorCodes.defaultReason(599)).isEqualTo("error 599");
    }
}

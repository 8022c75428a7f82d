package org.pasarela.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The records validate themselves, so the gateway cannot build a message the protocol does not allow. */
class MessageRecordsTest {

    @Test
    void progressOnlyCarriesPranswer() {
        assertThatThrownBy(() -> new Progress("c1", Jsep.answer("v=0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jsep.type must be \"pranswer\", got \"answer\"");
    }

    @Test
    void answeredCarriesAnAnswerOrNothing() {
        assertThat(Answered.confirmed("c7").jsep()).isNull();
        assertThatThrownBy(() -> new Answered("c1", Jsep.offer("v=0")))
                .hasMessage("jsep.type must be \"answer\", got \"offer\"");
    }

    @Test
    void jsepRefusesEmptySdp() {
        assertThatThrownBy(() -> Jsep.offer("")).hasMessage("field \"jsep.sdp\" must not be empty");
    }

    @Test
    void jsepToStringDoesNotDumpTheSdp() {
        assertThat(Jsep.offer("v=0\r\no=- 1 1 IN IP4 192.0.2.2\r\n").toString())
                .isEqualTo("Jsep[type=offer, sdp=31 chars]");
    }

    @Test
    void hangupCodeIsTwoHundredOrAFailure() {
        assertThat(new Hangup("c1", 200, "hung up by client").code()).isEqualTo(200);
        assertThat(new Hangup("c1", 699, "x").code()).isEqualTo(699);
        assertThatThrownBy(() -> new Hangup("c1", 180, "Ringing")).hasMessage("code 180 must be 200 or 300..699");
        assertThatThrownBy(() -> new Hangup("c1", 700, "x")).hasMessage("code 700 must be 200 or 300..699");
    }

    @Test
    void errorCodeIsAFourOrFiveHundred() {
        assertThatThrownBy(() -> new ErrorMessage(null, null, 200, "ok")).hasMessage("code 200 is outside 400..699");
        assertThatThrownBy(() -> new ErrorMessage(null, null, 700, "x")).hasMessage("code 700 is outside 400..699");
    }

    @Test
    void onlyRefusalsThatPassWithTimeCarryARetry() {
        assertThat(new ErrorMessage("1", null, 503, "busy", 3).retryAfter()).isEqualTo(3);
        assertThat(new ErrorMessage("1", null, 429, "banned", 600).retryAfter()).isEqualTo(600);
        assertThat(new ErrorMessage("1", null, 404, "unknown").retryAfter()).isZero();
        assertThatThrownBy(() -> new ErrorMessage("1", null, 400, "bad", 5)).hasMessage("retryAfter is for 429 and 503, not 400");
        assertThatThrownBy(() -> new ErrorMessage("1", null, 503, "busy", -1)).hasMessage("retryAfter -1 is negative");
    }

    @Test
    void ackNeedsTheRequestsId() {
        assertThatThrownBy(() -> new Ack(null, "c1")).hasMessage("missing field \"id\"");
    }

    @Test
    void candidateMustBeACandidateAttributeWithoutLineBreaks() {
        assertThatThrownBy(() -> new IceCandidate("a=candidate:1 1 udp 1 192.0.2.2 9 typ host", "0", null, null))
                .hasMessageStartingWith("candidate.candidate must start with \"candidate:\"");
        assertThatThrownBy(() -> new IceCandidate("candidate:1\r\na=x", "0", null, null))
                .hasMessage("field \"candidate.candidate\" must not contain control characters, found U+000D at index 11");
    }

    @Test
    void candidateNeedsMidOrMLineIndexAsBrowsersDo() {
        assertThatThrownBy(() -> new IceCandidate("candidate:1 1 udp 1 192.0.2.2 9 typ host", null, null, null))
                .hasMessage("candidate needs \"sdpMid\" or \"sdpMLineIndex\"");
    }

    @Test
    void profileNameCannotLeaveTheProfilesFolder() {
        assertThatThrownBy(() -> new CallRequest("2", "100", "../secret", Jsep.offer("v=0")))
                .hasMessageStartingWith("profile \"../secret\" must be 1 to 64 letters");
        assertThat(new CallRequest("2", "100", "guifi-community_2.bcn", Jsep.offer("v=0")).profile())
                .isEqualTo("guifi-community_2.bcn");
    }

    @Test
    void quotedValuesInReasonsAreEscapedAndShortened() {
        assertThat(FieldRules.quote("a\"b\\c\n")).isEqualTo("\"a\\\"b\\\\c\\u000a\"");
        assertThat(FieldRules.quote("x".repeat(50))).isEqualTo("\"" + "x".repeat(40) + "...\"");
        assertThat(FieldRules.quote("\ud800x")).isEqualTo("\"\\ud800x\"");
        assertThat(FieldRules.quote("😀")).isEqualTo("\"😀\"");
    }

    @Test
    void everyMessageNamesItsWireType() {
        assertThat(new LoginRequest("1", "a", "").type()).isEqualTo("login");
        assertThat(new PingRequest("1").type()).isEqualTo("ping");
        assertThat(new CandidateEvent("c1", null).type()).isEqualTo("candidate");
        assertThat(SignalingCodec.clientTypes())
                .containsExactlyInAnyOrder("login", "call", "candidate", "hangup", "dtmf", "ping", "history", "register",
                        "unregister", "accept", "reject", "hold", "unhold", "transfer");
        assertThat(SignalingCodec.serverTypes()).containsExactlyInAnyOrder(
                "ack", "error", "ringing", "progress", "answered", "candidate", "hangup", "pong", "history", "missed", "registered",
                "registration-failed", "incoming", "transfer-failed");
    }

    @Test
    void holdAndTransferRequestsNameTheirCall() {
        assertThat(new HoldRequest("7", "c1", true).type()).isEqualTo("hold");
        assertThat(new HoldRequest(null, "c1", false).type()).isEqualTo("unhold");
        assertThatThrownBy(() -> new HoldRequest("7", null, true)).hasMessageContaining("call");
        assertThatThrownBy(() -> new TransferRequest("9", "c1", null)).hasMessageContaining("to");
        assertThatThrownBy(() -> new TransferFailed("c1", 202, "Accepted")).hasMessage("code 202 must be 300..699");
        assertThat(new ErrorMessage("9", "c1", 603, "Decline").code()).isEqualTo(603);
    }

    @Test
    void registrationMessagesRefuseValuesTheProtocolDoesNotAllow() {
        assertThatThrownBy(() -> new Registered(null, "sip:a@b", 600)).hasMessageContaining("profile");
        assertThatThrownBy(() -> new Registered("pbx", "sip:a@b", 0)).hasMessage("expires 0 must be positive");
        assertThatThrownBy(() -> new RegistrationFailed("pbx", 200, "OK")).hasMessage("code 200 must be 300..699");
        assertThat(new RegisterRequest("1", null).profile()).isNull();
        assertThat(new UnregisterRequest("1", "pbx").type()).isEqualTo("unregister");
    }
}

package org.pasarela.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the gateway writes for each event, field by field, and that test clients read it back. */
class ServerMessageEncodingTest {
    private final SignalingCodec codec = new SignalingCodec();

    private String roundTrip(ServerMessage message) {
        String text = codec.encode(message);
        assertThat(codec.decodeServer(text)).isEqualTo(message);
        return text;
    }

    @Test
    void acknowledgesCallWithTheNewCallId() {
        assertThat(roundTrip(new Ack("2", "c1"))).isEqualTo("{\"type\":\"ack\",\"id\":\"2\",\"call\":\"c1\"}");
    }

    @Test
    void acknowledgesLoginWithItsProfilesAndDefault() {
        assertThat(roundTrip(new Ack("1", null, List.of("echo", "trunk"), "trunk")))
                .isEqualTo("{\"type\":\"ack\",\"id\":\"1\",\"profiles\":[\"echo\",\"trunk\"],\"defaultProfile\":\"trunk\"}");
        assertThat(roundTrip(new Ack("1", null, List.of(), null)))
                .isEqualTo("{\"type\":\"ack\",\"id\":\"1\",\"profiles\":[]}");
    }

    @Test
    void refusesAnAckWhoseProfilesAreNotStrings() {
        assertThatThrownBy(() -> codec.decodeServer("{\"type\":\"ack\",\"id\":\"1\",\"profiles\":[1]}"))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("ack: field \"profiles\" must be an array of strings");
    }

    @Test
    void acknowledgesLoginWithoutCall() {
        assertThat(roundTrip(new Ack("1", null))).isEqualTo("{\"type\":\"ack\",\"id\":\"1\"}");
    }

    @Test
    void writesErrorWithIdCodeAndReason() {
        assertThat(roundTrip(new ErrorMessage("2", null, 400, "call: missing field \"to\"")))
                .isEqualTo("{\"type\":\"error\",\"id\":\"2\",\"code\":400,\"reason\":\"call: missing field \\\"to\\\"\"}");
    }

    @Test
    void writesRetryAfterOnlyWhenThereIsOne() {
        assertThat(roundTrip(new ErrorMessage("2", null, 503, "media threads saturated", 3)))
                .isEqualTo("{\"type\":\"error\",\"id\":\"2\",\"code\":503,\"reason\":\"media threads saturated\","
                        + "\"retryAfter\":3}");
        assertThat(roundTrip(new ErrorMessage("2", null, 503, "no free UDP ports"))).doesNotContain("retryAfter");
    }

    @Test
    void writesErrorWithoutIdButWithCall() {
        assertThat(roundTrip(new ErrorMessage(null, "c9", 404, "unknown call")))
                .isEqualTo("{\"type\":\"error\",\"call\":\"c9\",\"code\":404,\"reason\":\"unknown call\"}");
    }

    @Test
    void writesRinging() {
        assertThat(roundTrip(new Ringing("c1"))).isEqualTo("{\"type\":\"ringing\",\"call\":\"c1\"}");
    }

    @Test
    void writesProgressWithPranswerForEarlyMedia() {
        assertThat(roundTrip(new Progress("c1", Jsep.pranswer("v=0\r\n"))))
                .isEqualTo("{\"type\":\"progress\",\"call\":\"c1\",\"jsep\":{\"type\":\"pranswer\",\"sdp\":\"v=0\\r\\n\"}}");
    }

    @Test
    void writesProgressWithoutJsep() {
        assertThat(roundTrip(new Progress("c1", null))).isEqualTo("{\"type\":\"progress\",\"call\":\"c1\"}");
    }

    @Test
    void writesAnsweredWithAnswer() {
        assertThat(roundTrip(new Answered("c1", Jsep.answer("v=0"))))
                .isEqualTo("{\"type\":\"answered\",\"call\":\"c1\",\"jsep\":{\"type\":\"answer\",\"sdp\":\"v=0\"}}");
    }

    @Test
    void writesGatewayCandidate() {
        var candidate = new IceCandidate("candidate:1 1 udp 2130706431 192.0.2.10 40000 typ host", "0", 0, "p4Sl");
        assertThat(roundTrip(new CandidateEvent("c1", candidate))).isEqualTo("{\"type\":\"candidate\",\"call\":\"c1\","
                + "\"candidate\":{\"candidate\":\"candidate:1 1 udp 2130706431 192.0.2.10 40000 typ host\","
                + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"p4Sl\"}}");
    }

    @Test
    void writesEndOfGatewayCandidatesAsExplicitNull() {
        assertThat(roundTrip(new CandidateEvent("c1", null)))
                .isEqualTo("{\"type\":\"candidate\",\"call\":\"c1\",\"candidate\":null}");
    }

    @Test
    void writesHangupWithSipCodeAndReasonPhrase() {
        assertThat(roundTrip(new Hangup("c1", 486, "Busy Here")))
                .isEqualTo("{\"type\":\"hangup\",\"call\":\"c1\",\"code\":486,\"reason\":\"Busy Here\"}");
    }

    @Test
    void writesHangupAfterClientHungUp() {
        assertThat(roundTrip(Hangup.byClient("c1")))
                .isEqualTo("{\"type\":\"hangup\",\"call\":\"c1\",\"code\":200,\"reason\":\"hung up by client\"}");
        assertThat(roundTrip(Hangup.cancelledByClient("c1")))
                .isEqualTo("{\"type\":\"hangup\",\"call\":\"c1\",\"code\":487,\"reason\":\"cancelled by client\"}");
        assertThat(roundTrip(Hangup.byRemoteParty("c1")))
                .isEqualTo("{\"type\":\"hangup\",\"call\":\"c1\",\"code\":200,\"reason\":\"hung up by remote party\"}");
    }

    @Test
    void writesPongWithThePingsId() {
        assertThat(roundTrip(new Pong("9"))).isEqualTo("{\"type\":\"pong\",\"id\":\"9\"}");
    }

    @Test
    void escapesControlCharactersAndKeepsUnicodeInReasons() {
        assertThat(roundTrip(new Hangup("c1", 603, "Declinado – \"no\"\n")))
                .isEqualTo("{\"type\":\"hangup\",\"call\":\"c1\",\"code\":603,\"reason\":\"Declinado – \\\"no\\\"\\n\"}");
    }

    @Test
    void turnsProtocolExceptionIntoErrorReplyWithTheSameIdAndCall() {
        ProtocolException e = new ProtocolException(400, "dtmf: digits \"x\" may contain only 0-9 A-D * # ,", "6", "c1");

        assertThat(codec.encode(e.toErrorMessage())).isEqualTo("{\"type\":\"error\",\"id\":\"6\",\"call\":\"c1\","
                + "\"code\":400,\"reason\":\"dtmf: digits \\\"x\\\" may contain only 0-9 A-D * # ,\"}");
    }

    @Test
    void decodeServerRefusesClientOnlyTypes() {
        assertThatThrownBy(() -> codec.decodeServer("{\"type\":\"login\",\"id\":\"1\"}"))
                .isInstanceOf(ProtocolException.class).hasMessage("unknown type \"login\"");
    }

    @Test
    void decodeServerNamesTheMissingHangupCode() {
        assertThatThrownBy(() -> codec.decodeServer("{\"type\":\"hangup\",\"call\":\"c1\",\"reason\":\"x\"}"))
                .isInstanceOf(ProtocolException.class).hasMessage("hangup: missing field \"code\"");
    }

    @Test
    void decodesAnsweredWithoutJsepAsTheConfirmationOfAnIncomingCall() {
        assertThat(codec.decodeServer("{\"type\":\"answered\",\"call\":\"c7\"}")).isEqualTo(Answered.confirmed("c7"));
        assertThat(codec.encode(Answered.confirmed("c7"))).isEqualTo("{\"type\":\"answered\",\"call\":\"c7\"}");
    }

    @Test
    void decodeServerRefusesAnsweredWithAnOffer() {
        assertThatThrownBy(() -> codec.decodeServer(
                "{\"type\":\"answered\",\"call\":\"c1\",\"jsep\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}"))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("answered: jsep.type must be \"answer\", got \"offer\"");
    }
}

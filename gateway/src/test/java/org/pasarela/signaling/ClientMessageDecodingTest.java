package org.pasarela.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What each client request looks like on the wire and which record it becomes. */
class ClientMessageDecodingTest {
    private final SignalingCodec codec = new SignalingCodec();

    @Test
    void decodesLogin() {
        assertThat(codec.decode("{\"type\":\"login\",\"id\":\"1\",\"user\":\"alice\",\"password\":\"secret\"}"))
                .isEqualTo(new LoginRequest("1", "alice", "secret"));
    }

    @Test
    void loginNeverPrintsThePassword() {
        assertThat(new LoginRequest("1", "alice", "secret").toString()).doesNotContain("secret").contains("alice");
    }

    @Test
    void decodesCallWithProfileAndOffer() {
        ClientMessage message = codec.decode("{\"type\":\"call\",\"id\":\"2\",\"to\":\"+34931234567\","
                + "\"profile\":\"trunk\",\"jsep\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}}");

        assertThat(message).isEqualTo(new CallRequest("2", "+34931234567", "trunk", Jsep.offer("v=0\r\n")));
    }

    @Test
    void decodesCallWithoutProfileAsDefaultProfile() {
        CallRequest call = (CallRequest) codec.decode(
                "{\"type\":\"call\",\"id\":\"2\",\"to\":\"100\",\"jsep\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");

        assertThat(call.profile()).isNull();
    }

    @Test
    void decodesTrickledCandidateWithAllBrowserFields() {
        CandidateMessage message = (CandidateMessage) codec.decode("{\"type\":\"candidate\",\"call\":\"c1\","
                + "\"candidate\":{\"candidate\":\"candidate:1 1 udp 2122194687 192.0.2.2 43214 typ host\","
                + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"WqA+\"}}");

        assertThat(message.id()).isNull();
        assertThat(message.call()).isEqualTo("c1");
        assertThat(message.isEndOfCandidates()).isFalse();
        assertThat(message.candidate()).isEqualTo(new IceCandidate(
                "candidate:1 1 udp 2122194687 192.0.2.2 43214 typ host", "0", 0, "WqA+"));
    }

    @Test
    void readsNullCandidateAsEndOfCandidates() {
        assertThat(codec.decode("{\"type\":\"candidate\",\"call\":\"c1\",\"candidate\":null}"))
                .isEqualTo(CandidateMessage.endOfCandidates(null, "c1"));
    }

    @Test
    void readsEmptyCandidateStringAsEndOfCandidates() {
        CandidateMessage message = (CandidateMessage) codec.decode("{\"type\":\"candidate\",\"id\":\"4\","
                + "\"call\":\"c1\",\"candidate\":{\"candidate\":\"\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");

        assertThat(message.isEndOfCandidates()).isTrue();
        assertThat(message.id()).isEqualTo("4");
    }

    @Test
    void decodesHangupWithAndWithoutId() {
        assertThat(codec.decode("{\"type\":\"hangup\",\"id\":\"5\",\"call\":\"c1\"}"))
                .isEqualTo(new HangupRequest("5", "c1"));
        assertThat(codec.decode("{\"type\":\"hangup\",\"call\":\"c1\"}")).isEqualTo(new HangupRequest(null, "c1"));
    }

    @Test
    void decodesDtmfWithPausesAndDuration() {
        DtmfRequest dtmf = (DtmfRequest) codec.decode(
                "{\"type\":\"dtmf\",\"id\":\"6\",\"call\":\"c1\",\"digits\":\"0123456789ABCD*#,\",\"durationMs\":250}");

        assertThat(dtmf).isEqualTo(new DtmfRequest("6", "c1", "0123456789ABCD*#,", 250));
        assertThat(dtmf.toneDuration()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void dtmfWithoutDurationUsesOneHundredMilliseconds() {
        DtmfRequest dtmf = (DtmfRequest) codec.decode("{\"type\":\"dtmf\",\"call\":\"c1\",\"digits\":\"5\"}");

        assertThat(dtmf.durationMs()).isNull();
        assertThat(dtmf.toneDuration()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void acceptsDtmfDurationsAtBothLimits() {
        assertThat(((DtmfRequest) codec.decode(
                "{\"type\":\"dtmf\",\"call\":\"c1\",\"digits\":\"1\",\"durationMs\":40}")).durationMs()).isEqualTo(40);
        assertThat(((DtmfRequest) codec.decode(
                "{\"type\":\"dtmf\",\"call\":\"c1\",\"digits\":\"1\",\"durationMs\":6000}")).durationMs())
                .isEqualTo(6000);
    }

    @Test
    void decodesPing() {
        assertThat(codec.decode("{\"type\":\"ping\",\"id\":\"9\"}")).isEqualTo(new PingRequest("9"));
    }

    @Test
    void ignoresUnknownFieldsForForwardCompatibility() {
        assertThat(codec.decode("{\"type\":\"ping\",\"id\":\"9\",\"version\":2,\"extra\":{\"a\":[1,null]}}"))
                .isEqualTo(new PingRequest("9"));
    }

    @Test
    void treatsNullOptionalFieldsAsAbsent() {
        assertThat(codec.decode("{\"type\":\"hangup\",\"id\":null,\"call\":\"c1\"}"))
                .isEqualTo(new HangupRequest(null, "c1"));
    }

    @Test
    void acceptsFieldsInAnyOrderWithWhitespace() {
        assertThat(codec.decode(" {\n \"id\" : \"9\",\r\n\t\"type\" : \"ping\" }\n"))
                .isEqualTo(new PingRequest("9"));
    }

    @Test
    void acceptsMessageOfExactlyTheSizeLimit() {
        String prefix = "{\"type\":\"ping\",\"id\":\"9\",\"pad\":\"";
        String suffix = "\"}";
        String text = prefix + "x".repeat(SignalingCodec.MAX_MESSAGE_BYTES - prefix.length() - suffix.length())
                + suffix;

        assertThat(codec.decode(text)).isEqualTo(new PingRequest("9"));
    }

    @Test
    void encodesEveryClientMessageSoThatItDecodesBack() {
        var messages = new ClientMessage[] {
            new LoginRequest("1", "alice", "secret"),
            new CallRequest("2", "+34931234567", null, Jsep.offer("v=0\r\n")),
            new CandidateMessage(null, "c1", new IceCandidate("candidate:1 1 udp 1 192.0.2.2 9 typ host", "0", 0, null)),
            CandidateMessage.endOfCandidates("3", "c1"),
            new HangupRequest(null, "c1"),
            new DtmfRequest("6", "c1", "1#", null),
            new PingRequest("9"),
        };
        for (ClientMessage message : messages) {
            assertThat(codec.decode(codec.encode(message))).isEqualTo(message);
        }
    }

    @Test
    void writesClientMessagesWithTypeFirstAndNullsOmitted() {
        assertThat(codec.encode(new CallRequest("2", "100", null, Jsep.offer("v=0"))))
                .isEqualTo("{\"type\":\"call\",\"id\":\"2\",\"to\":\"100\",\"jsep\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
        assertThat(codec.encode(CandidateMessage.endOfCandidates(null, "c1")))
                .isEqualTo("{\"type\":\"candidate\",\"call\":\"c1\",\"candidate\":null}");
        assertThat(codec.encode(new DtmfRequest(null, "c1", "1", null)))
                .isEqualTo("{\"type\":\"dtmf\",\"call\":\"c1\",\"digits\":\"1\"}");
    }
}

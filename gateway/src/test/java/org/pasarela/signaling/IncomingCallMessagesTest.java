package org.pasarela.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The messages of incoming calls on the wire: {@code incoming}, {@code accept}, {@code reject}. */
class IncomingCallMessagesTest {
    private final SignalingCodec codec = new SignalingCodec();

    private void refuses(String json, String reason) {
        assertThatThrownBy(() -> codec.decode(json)).isInstanceOf(ProtocolException.class).hasMessage(reason);
    }

    @Test
    void decodesAcceptWithTheBrowsersAnswer() {
        assertThat(codec.decode("{\"type\":\"accept\",\"id\":\"7\",\"call\":\"c7\","
                + "\"jsep\":{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}}"))
                .isEqualTo(new AcceptRequest("7", "c7", Jsep.answer("v=0\r\n")));
    }

    @Test
    void refusesAcceptWithoutIdCallOrAnAnswer() {
        refuses("{\"type\":\"accept\",\"call\":\"c7\",\"jsep\":{\"type\":\"answer\",\"sdp\":\"v=0\"}}",
                "accept: missing field \"id\"");
        refuses("{\"type\":\"accept\",\"id\":\"7\",\"jsep\":{\"type\":\"answer\",\"sdp\":\"v=0\"}}",
                "accept: missing field \"call\"");
        refuses("{\"type\":\"accept\",\"id\":\"7\",\"call\":\"c7\"}", "accept: missing field \"jsep\"");
        refuses("{\"type\":\"accept\",\"id\":\"7\",\"call\":\"c7\",\"jsep\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}",
                "accept: jsep.type must be \"answer\", got \"offer\"");
        refuses("{\"type\":\"accept\",\"id\":\"7\",\"call\":\"c7\",\"jsep\":{\"type\":\"answer\",\"sdp\":\"\"}}",
                "accept: field \"jsep.sdp\" must not be empty");
        refuses("{\"type\":\"accept\",\"id\":\"7\",\"call\":7,\"jsep\":{\"type\":\"answer\",\"sdp\":\"v=0\"}}",
                "accept: field \"call\" must be a string");
    }

    @Test
    void keepsTheIdAndCallOfARefusedAcceptForTheErrorReply() {
        ProtocolException e = org.assertj.core.api.Assertions.catchThrowableOfType(ProtocolException.class,
                () -> codec.decode("{\"type\":\"accept\",\"id\":\"7\",\"call\":\"c7\",\"jsep\":\"answer\"}"));
        assertThat(e.toErrorMessage()).isEqualTo(new ErrorMessage("7", "c7", 400,
                "accept: field \"jsep\" must be an object"));
    }

    @Test
    void decodesRejectEverywhereAndTakesAnAbsentEverywhereAsFalse() {
        assertThat(codec.decode("{\"type\":\"reject\",\"id\":\"8\",\"call\":\"c7\",\"everywhere\":true}"))
                .isEqualTo(new RejectRequest("8", "c7", true));
        assertThat(codec.decode("{\"type\":\"reject\",\"call\":\"c7\"}"))
                .isEqualTo(new RejectRequest(null, "c7", false));
        assertThat(codec.decode("{\"type\":\"reject\",\"call\":\"c7\",\"everywhere\":null}"))
                .isEqualTo(new RejectRequest(null, "c7", false));
    }

    @Test
    void refusesRejectWhoseEverywhereIsNotABoolean() {
        refuses("{\"type\":\"reject\",\"call\":\"c7\",\"everywhere\":\"yes\"}",
                "reject: field \"everywhere\" must be true or false");
        refuses("{\"type\":\"reject\",\"call\":\"c7\",\"everywhere\":1}",
                "reject: field \"everywhere\" must be true or false");
        refuses("{\"type\":\"reject\",\"id\":\"\",\"call\":\"c7\"}",
                "reject: field \"id\" must be 1 to 128 characters, got 0");
        refuses("{\"type\":\"reject\",\"call\":\"" + "c".repeat(129) + "\"}",
                "reject: field \"call\" must be 1 to 128 characters, got 129");
    }

    @Test
    void writesAndReadsIncomingWithAndWithoutADisplayName() {
        Incoming alice = new Incoming("c7", "sip:1000@example.org", "Alice", "sip:alice@example.org", "pbx",
                Jsep.offer("v=0\r\n"));
        String json = codec.encode(alice);
        assertThat(json).isEqualTo("{\"type\":\"incoming\",\"call\":\"c7\",\"from\":\"sip:1000@example.org\","
                + "\"fromName\":\"Alice\",\"to\":\"sip:alice@example.org\",\"profile\":\"pbx\","
                + "\"jsep\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}}");
        assertThat(codec.decodeServer(json)).isEqualTo(alice);
        Incoming anonymous = new Incoming("c8", "sip:anonymous@anonymous.invalid", null, "sip:alice@example.org",
                "pbx", Jsep.offer("v=0\r\n"));
        assertThat(codec.encode(anonymous)).doesNotContain("fromName");
        assertThat(codec.decodeServer(codec.encode(anonymous))).isEqualTo(anonymous);
    }

    @Test
    void refusesIncomingThatCouldInjectHeadersOrCarriesNoOffer() {
        assertThatThrownBy(() -> new Incoming("c7", "sip:a@b\r\nX: y", null, "sip:c@d", "pbx", Jsep.offer("v=0")))
                .hasMessageStartingWith("field \"from\" must not contain control characters");
        assertThatThrownBy(() -> new Incoming("c7", "sip:a@b", "A", "sip:c@d", "pbx", Jsep.answer("v=0")))
                .hasMessage("jsep.type must be \"offer\", got \"answer\"");
        assertThatThrownBy(() -> new Incoming("c7", "sip:a@b", "A", "sip:c@d", "../etc", Jsep.offer("v=0")))
                .hasMessageStartingWith("profile \"../etc\" must be 1 to 64 letters");
        assertThatThrownBy(() -> new Incoming("c7", "sip:a@b", "x".repeat(1025), "sip:c@d", "pbx",
                Jsep.offer("v=0"))).hasMessage("field \"fromName\" must be at most 1024 characters, got 1025");
    }

    @Test
    void writesAcceptAndRejectForTestClients() {
        assertThat(codec.encode(new RejectRequest("8", "c7", false)))
                .isEqualTo("{\"type\":\"reject\",\"id\":\"8\",\"call\":\"c7\",\"everywhere\":false}");
        AcceptRequest accept = new AcceptRequest("7", "c7", Jsep.answer("v=0\r\n"));
        assertThat(codec.decode(codec.encode(accept))).isEqualTo(accept);
    }
}

package org.pasarela.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code iceServers} of the login ack: RTCIceServer-shaped on the wire, read back by test clients. */
class IceServersEncodingTest {
    private final SignalingCodec codec = new SignalingCodec();
    private static final IceServer TURN = new IceServer(
            List.of("turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349?transport=tcp"),
            "1700003600:alice", "KctEl3YGLc9mIWS3cG9Q6CllK8M=");

    @Test
    void writesIceServersAfterTheProfilesAsRtcIceServerObjects() {
        Ack ack = new Ack("1", null, List.of("echo"), "echo", List.of(TURN));
        String text = codec.encode(ack);
        assertThat(text).isEqualTo("{\"type\":\"ack\",\"id\":\"1\",\"profiles\":[\"echo\"],\"defaultProfile\":\"echo\","
                + "\"iceServers\":[{\"urls\":[\"turn:turn.example.org:3478?transport=udp\","
                + "\"turns:turn.example.org:5349?transport=tcp\"],\"username\":\"1700003600:alice\","
                + "\"credential\":\"KctEl3YGLc9mIWS3cG9Q6CllK8M=\"}]}");
        assertThat(codec.decodeServer(text)).isEqualTo(ack);
    }

    @Test
    void anAckWithoutTurnHasNoIceServersField() {
        assertThat(codec.encode(new Ack("1", null, List.of(), null))).doesNotContain("iceServers");
    }

    @Test
    void aStunServerNeedsNoCredentials() {
        IceServer stun = new IceServer(List.of("stun:stun.example.org"), null, null);
        Ack ack = new Ack("1", null, List.of(), null, List.of(stun));
        assertThat(codec.encode(ack)).endsWith("\"iceServers\":[{\"urls\":[\"stun:stun.example.org\"]}]}");
        assertThat(codec.decodeServer(codec.encode(ack))).isEqualTo(ack);
    }

    @Test
    void refusesAUserNameWithoutCredentialAndAnEmptyUrlList() {
        assertThatThrownBy(() -> codec.decodeServer("{\"type\":\"ack\",\"id\":\"1\",\"iceServers\":[{\"urls\":"
                + "[\"turn:h\"],\"username\":\"1:a\"}]}"))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("ack: fields \"iceServers.username\" and \"iceServers.credential\" come together or "
                        + "not at all");
        assertThatThrownBy(() -> codec.decodeServer("{\"type\":\"ack\",\"id\":\"1\",\"iceServers\":[{\"urls\":[]}]}"))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("ack: field \"iceServers.urls\" must hold 1 to 16 URIs, got 0");
        assertThatThrownBy(() -> codec.decodeServer("{\"type\":\"ack\",\"id\":\"1\",\"iceServers\":{}}"))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("ack: field \"iceServers\" must be an array");
    }

    @Test
    void neverShowsTheCredentialInToString() {
        assertThat(TURN.toString()).doesNotContain("KctEl3").contains("1700003600:alice", "***");
    }
}

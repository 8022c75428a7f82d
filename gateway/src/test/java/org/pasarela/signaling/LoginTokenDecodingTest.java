package org.pasarela.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class LoginTokenDecodingTest {
    private final SignalingCodec codec = new SignalingCodec();

    private String refusal(String json) {
        return catchThrowableOfType(ProtocolException.class, () -> codec.decode(json)).getMessage();
    }

    @Test
    void decodesATokenLoginWithoutUser() {
        assertThat(codec.decode("{\"type\":\"login\",\"id\":\"1\",\"token\":\"aaa.bbb.ccc\"}"))
                .isEqualTo(new LoginRequest("1", null, null, "aaa.bbb.ccc"));
    }

    @Test
    void decodesATokenLoginWithUser() {
        assertThat(codec.decode("{\"type\":\"login\",\"id\":\"1\",\"user\":\"alice\",\"token\":\"a.b.c\"}"))
                .isEqualTo(new LoginRequest("1", "alice", null, "a.b.c"));
    }

    @Test
    void refusesPasswordAndTokenTogether() {
        assertThat(refusal("{\"type\":\"login\",\"id\":\"1\",\"user\":\"a\",\"password\":\"p\",\"token\":\"a.b.c\"}"))
                .isEqualTo("login: fields \"password\" and \"token\" are both given: give exactly one of them");
    }

    @Test
    void stillNeedsAUserForPasswordLogins() {
        assertThat(refusal("{\"type\":\"login\",\"id\":\"1\",\"password\":\"p\"}"))
                .isEqualTo("login: missing field \"user\"");
    }

    @Test
    void boundsTheToken() {
        String token = "a".repeat(LoginRequest.MAX_TOKEN_LENGTH + 1);
        assertThat(refusal("{\"type\":\"login\",\"id\":\"1\",\"token\":\"" + token + "\"}"))
                .isEqualTo("login: field \"token\" must be at most 8192 characters, got 8193");
    }

    @Test
    void roundTripsAndNeverPrintsTheToken() {
        LoginRequest login = LoginRequest.withToken("7", "secret.token.value");
        assertThat(codec.decode(codec.encode(login))).isEqualTo(login);
        assertThat(codec.encode(login)).isEqualTo("{\"type\":\"login\",\"id\":\"7\",\"token\":\"secret.token.value\"}");
        assertThat(login.toString()).doesNotContain("secret").contains("token=***");
    }
}

package org.pasarela.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class TurnCredentialsTest {
    private static final byte[] SECRET = "north-star-turn-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final List<String> URIS = List.of("turn:127.0.0.1:3478?transport=udp");
    private static final Instant T0 = Instant.parse("2023-11-14T22:13:20.750Z"); // unix 1700000000.75

    static Stream<Arguments> vectors() throws IOException {
        try (InputStream in = TurnCredentialsTest.class.getResourceAsStream("/vectors/turn/rest-api-credentials.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split("\\|", -1))
                    .map(v -> Arguments.of(v[0], v[1], v[2]))
                    .toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void passwordIsBase64OfHmacSha1OverTheUserNameAsOpensslComputesIt(String secret, String username,
                                                                       String password) {
        TurnCredentials turn = new TurnCredentials(URIS, secret.getBytes(StandardCharsets.UTF_8), Duration.ofHours(1));
        assertThat(turn.password(username)).isEqualTo(password);
    }

    @Test
    void userNameIsTheExpiryInUnixSecondsAColonAndTheUser() {
        TurnCredentials turn = new TurnCredentials(URIS, SECRET, Duration.ofHours(1));
        TurnCredentials.Issued issued = turn.issue("alice", T0);
        assertThat(issued.username()).isEqualTo("1700003600:alice");
        assertThat(issued.expires()).isEqualTo(Instant.ofEpochSecond(1_700_003_600L));
        // The first vector of rest-api-credentials.txt.
        assertThat(issued.password()).isEqualTo("KctEl3YGLc9mIWS3cG9Q6CllK8M=");
    }

    @Test
    void aDifferentSecretOrUserGivesADifferentPassword() {
        TurnCredentials turn = new TurnCredentials(URIS, SECRET, Duration.ofMinutes(10));
        TurnCredentials other = new TurnCredentials(URIS, "another-secret-0123456789".getBytes(), Duration.ofMinutes(10));
        assertThat(turn.issue("alice", T0).password()).isNotEqualTo(other.issue("alice", T0).password())
                .isNotEqualTo(turn.issue("alicf", T0).password());
        assertThat(turn.issue("alice", T0).username()).isEqualTo("1700000600:alice");
    }

    @Test
    void changingTheSecretArrayAfterwardsChangesNothing() {
        byte[] secret = SECRET.clone();
        TurnCredentials turn = new TurnCredentials(URIS, secret, Duration.ofHours(1));
        secret[0] = 'X';
        assertThat(turn.issue("alice", T0).password()).isEqualTo("KctEl3YGLc9mIWS3cG9Q6CllK8M=");
    }

    @Test
    void neverShowsTheSecretOrAPassword() {
        TurnCredentials turn = new TurnCredentials(URIS, SECRET, Duration.ofHours(1));
        assertThat(turn.toString()).doesNotContain("north-star").contains("***", "turn:127.0.0.1:3478");
        assertThat(turn.issue("alice", T0).toString()).doesNotContain("KctEl3").contains("1700003600:alice");
    }

    @Test
    void refusesNoUrisAnEmptySecretAndALifetimeUnderOneSecond() {
        assertThatThrownBy(() -> new TurnCredentials(List.of(), SECRET, Duration.ofHours(1)))
                .hasMessage("TURN credentials need at least one TURN URI");
        assertThatThrownBy(() -> new TurnCredentials(URIS, new byte[0], Duration.ofHours(1)))
                .hasMessage("the TURN shared secret is empty");
        assertThatThrownBy(() -> new TurnCredentials(URIS, SECRET, Duration.ofMillis(999)))
                .hasMessage("the TURN credential lifetime must be at least 1 s, got PT0.999S");
    }
}

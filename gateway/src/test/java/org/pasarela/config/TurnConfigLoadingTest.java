package org.pasarela.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TurnConfigLoadingTest {
    private static final String SECRET = "turn.secret=north-star-turn-secret-0123456789";

    @TempDir
    Path tmp;

    private ConfigFixture fx() {
        return new ConfigFixture(tmp);
    }

    @Test
    void turnIsOffByDefaultWithAOneHourLifetime() {
        TurnConfig turn = fx().load().security().turn();
        assertThat(turn.enabled()).isFalse();
        assertThat(turn.uris()).isEmpty();
        assertThat(turn.ttl()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void readsUrisSecretAndLifetime() {
        TurnConfig turn = fx().load("turn.uris=turn:127.0.0.1:3478?transport=udp, turns:turn.example.org:5349"
                + "?transport=tcp,stun:[2001:db8::1]:3478", SECRET, "turn.ttl=10m").security().turn();
        assertThat(turn.enabled()).isTrue();
        assertThat(turn.uris()).containsExactly("turn:127.0.0.1:3478?transport=udp",
                "turns:turn.example.org:5349?transport=tcp", "stun:[2001:db8::1]:3478");
        assertThat(turn.secret()).contains("north-star-turn-secret-0123456789");
        assertThat(turn.ttl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(turn.toString()).doesNotContain("north-star").contains("secret=***");
    }

    @Test
    void readsTheSecretFromAFileThatMustExist() throws Exception {
        Path file = Files.writeString(tmp.resolve("turn.secret"), "from-a-file-0123456789\n");
        TurnConfig turn = fx().load("turn.uris=turn:127.0.0.1", "turn.secret-file=" + file).security().turn();
        assertThat(turn.secretFile()).contains(file);
        assertThatThrownBy(() -> fx().load("turn.uris=turn:127.0.0.1", "turn.secret-file=" + tmp.resolve("none")))
                .hasMessageStartingWith("--set turn.secret-file = '" + tmp.resolve("none")
                        + "': expected a file holding the TURN shared secret;");
    }

    @Test
    void urisNeedASecretAndASecretNeedsUris() {
        assertThatThrownBy(() -> fx().load("turn.uris=turn:127.0.0.1"))
                .hasMessage("--set turn.uris = 'turn:127.0.0.1': TURN URIs need turn.secret or turn.secret-file "
                        + "(coturn's static-auth-secret)");
        assertThatThrownBy(() -> fx().load(SECRET))
                .hasMessage("--set turn.secret = '***': a TURN secret is only used with turn.uris");
        assertThatThrownBy(() -> fx().load("turn.uris=turn:127.0.0.1", SECRET, "turn.secret-file=x"))
                .hasMessage("--set turn.secret = '***': expected either turn.secret or turn.secret-file, not both");
    }

    @Test
    void refusesAShortSecretWithoutEchoingIt() {
        assertThatThrownBy(() -> fx().load("turn.uris=turn:127.0.0.1", "turn.secret=hunter2"))
                .hasMessage("--set turn.secret = '***': expected at least 16 bytes; make one with: "
                        + "openssl rand -base64 32");
    }

    @Test
    void refusesWhatIsNotATurnOrStunUri() {
        assertThatThrownBy(() -> fx().load("turn.uris=turn:127.0.0.1, http://turn.example.org", SECRET))
                .hasMessageEndingWith("; 'http://turn.example.org' is not one");
        assertThatThrownBy(() -> fx().load("turn.uris=turn:127.0.0.1?transport=sctp", SECRET))
                .hasMessageContaining("'turn:127.0.0.1?transport=sctp' is not one");
        assertThatThrownBy(() -> fx().load("turn.uris=turn:a,,turn:b", SECRET))
                .hasMessageStartingWith("--set turn.uris = 'turn:a,,turn:b': expected a comma-separated list");
    }

    @Test
    void lifetimeIsOneMinuteToADayInWholeSeconds() {
        assertThatThrownBy(() -> fx().load("turn.ttl=59s"))
                .hasMessage("--set turn.ttl = '59s': expected a lifetime from 1m to 24h (credentials are handed "
                        + "out at login)");
        assertThatThrownBy(() -> fx().load("turn.ttl=25h")).hasMessageContaining("between 1ms and 24h");
        assertThatThrownBy(() -> fx().load("turn.ttl=60500ms"))
                .hasMessageContaining("expected whole seconds");
        assertThat(fx().load("turn.ttl=24h").security().turn().ttl()).isEqualTo(Duration.ofDays(1));
    }
}

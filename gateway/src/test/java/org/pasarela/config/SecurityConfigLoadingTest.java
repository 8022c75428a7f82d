package org.pasarela.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityConfigLoadingTest {
    private static final String HASH = "$2y$10$0jCZq.wTn5nz.zyLsY20c.PL8v6XxssZ0vRdxsy1jgrKBUmfNPyka";

    @TempDir
    Path tmp;

    private ConfigFixture fx() {
        return new ConfigFixture(tmp);
    }

    @Test
    void defaultsAreFiveFailuresInFiveMinutesTenMinuteBansNoTokensSameOrigin() {
        SecurityConfig s = fx().load().security();
        assertThat(s).isEqualTo(SecurityConfig.defaults());
        assertThat(s.maxFailures()).isEqualTo(5);
        assertThat(s.failureWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.banTime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.jwtAlgorithms()).isEmpty();
        assertThat(s.allowedOrigins()).isEmpty();
        assertThat(s.allowMissingOrigin()).isTrue();
        assertThat(s.jwtLeeway()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void shippedReferenceFileEqualsTheDefaults() {
        LoadedConfig config = ConfigLoader.load(ShippedConfigTest.ETC, ShippedConfigTest.PROFILES, Map.of());
        assertThat(config.security()).isEqualTo(SecurityConfig.defaults());
    }

    @Test
    void readsHashedAndPlainUsersAndNamesThePlainOnes() {
        LoadedConfig config = fx().gateway("users.alice.password-hash = " + HASH, "users.bob.password = builder").load();
        assertThat(config.security().users()).containsExactly(
                Map.entry("alice", new SecurityConfig.UserSecret(HASH, true)),
                Map.entry("bob", new SecurityConfig.UserSecret("builder", false)));
        assertThat(config.security().plainPasswordUsers()).containsExactly("bob");
        assertThat(config.gateway().users()).containsExactly(Map.entry("bob", "builder"));
        assertThat(config.security().toString()).doesNotContain("builder").doesNotContain(HASH);
    }

    @Test
    void refusesSomethingThatIsNotABcryptHashWithoutEchoingIt() {
        assertThatThrownBy(() -> fx().load("users.alice.password-hash=hunter2"))
                .hasMessage("--set users.alice.password-hash = '***': expected a bcrypt hash such as $2y$12$... "
                        + "(53 characters after the cost), as printed by: java -jar pasarela.jar hash-password");
        assertThatThrownBy(() -> fx().load("users.alice.password-hash=$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"))
                .hasMessageEndingWith("(Argon2 hashes are not supported)");
    }

    @Test
    void refusesAUserWithBothAPasswordAndAHash() {
        assertThatThrownBy(() -> fx().load("users.alice.password=x", "users.alice.password-hash=" + HASH))
                .hasMessageContaining("user 'alice' has both users.alice.password and users.alice.password-hash");
    }

    @Test
    void readsLimits() {
        SecurityConfig s = fx().load("auth.max-failures=3", "auth.failure-window=60s", "auth.ban-time=1h").security();
        assertThat(s.maxFailures()).isEqualTo(3);
        assertThat(s.failureWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.banTime()).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> fx().load("auth.max-failures=0"))
                .hasMessage("--set auth.max-failures = '0': expected a number of failed logins 1-1000");
    }

    @Test
    void tokenLoginNeedsTheKeyOfItsAlgorithm() throws Exception {
        assertThatThrownBy(() -> fx().load("auth.jwt.algorithms=HS256"))
                .hasMessage("--set auth.jwt.algorithms = 'HS256': HS256 needs auth.jwt.hs256-secret or "
                        + "auth.jwt.hs256-secret-file");
        assertThatThrownBy(() -> fx().load("auth.jwt.algorithms=RS256"))
                .hasMessageContaining("RS256 and ES256 need auth.jwt.public-key");
        assertThatThrownBy(() -> fx().load("auth.jwt.algorithms=none"))
                .hasMessageContaining("unsigned tokens (none) are never accepted");
        assertThatThrownBy(() -> fx().load("auth.jwt.algorithms=HS256", "auth.jwt.hs256-secret=short"))
                .hasMessage("--set auth.jwt.hs256-secret = '***': expected at least 32 bytes (RFC 7518 section 3.2); "
                        + "make one with: openssl rand -base64 32");
        assertThatThrownBy(() -> fx().load("auth.jwt.hs256-secret=" + "x".repeat(40)))
                .hasMessageContaining("a shared secret is only used with HS256");
        assertThatThrownBy(() -> fx().load("auth.jwt.algorithms=ES256", "auth.jwt.public-key=" + tmp.resolve("no.pem")))
                .hasMessageContaining("expected a PEM public key file;");
        Path pem = Files.writeString(tmp.resolve("k.pem"), "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n");
        SecurityConfig s = fx().load("auth.jwt.algorithms=ES256", "auth.jwt.public-key=" + pem,
                "auth.jwt.issuer=https://login.example.org", "auth.jwt.audience=pasarela").security();
        assertThat(s.jwtAlgorithms()).containsExactly("ES256");
        assertThat(s.jwtIssuer()).contains("https://login.example.org");
    }

    @Test
    void readsAndNormalisesAllowedOrigins() {
        SecurityConfig s = fx().load("http.allowed-origins=HTTPS://Phone.Example.org:443, http://lab:8000",
                "http.allow-missing-origin=false").security();
        assertThat(s.allowedOrigins()).containsExactly("https://phone.example.org", "http://lab:8000");
        assertThat(s.allowMissingOrigin()).isFalse();
        assertThatThrownBy(() -> fx().load("http.allowed-origins=https://phone.example.org/app"))
                .hasMessageStartingWith("--set http.allowed-origins = 'https://phone.example.org/app': "
                        + "'https://phone.example.org/app' is not an origin");
    }
}

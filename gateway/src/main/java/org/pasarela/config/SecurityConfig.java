package org.pasarela.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who may log in from a browser and how hard the gateway makes guessing: the users with their secrets, the
 * failed-login limits ({@code auth.*}), token login ({@code auth.jwt.*}) and the WebSocket Origin allowlist
 * ({@code http.allowed-origins}, {@code http.allow-missing-origin}), and the TURN servers logged-in users get
 * credentials for ({@code turn.*}). Every key is documented with its default in
 * {@code etc/pasarela.properties}. Files named here (secret, public key) are read by the application at start-up.
 * Immutable; {@code toString()} hides every secret.
 */
public record SecurityConfig(
        Map<String, UserSecret> users,
        int maxFailures,
        Duration failureWindow,
        Duration banTime,
        Set<String> jwtAlgorithms,
        Optional<String> jwtHs256Secret,
        Optional<Path> jwtHs256SecretFile,
        Optional<Path> jwtPublicKey,
        Optional<String> jwtIssuer,
        Optional<String> jwtAudience,
        Duration jwtLeeway,
        List<String> allowedOrigins,
        boolean allowMissingOrigin,
        TurnConfig turn) {

    /** One user's secret: a bcrypt hash ({@code users.NAME.password-hash}) or a plain password (legacy). */
    public record UserSecret(String value, boolean hashed) {
        public UserSecret {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return hashed ? "UserSecret[bcrypt " + value.substring(0, Math.min(7, value.length())) + "...]"
                    : "UserSecret[plain ***]";
        }
    }

    public SecurityConfig {
        users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
        jwtAlgorithms = Set.copyOf(jwtAlgorithms);
        allowedOrigins = List.copyOf(allowedOrigins);
        Objects.requireNonNull(jwtHs256Secret, "jwtHs256Secret");
        Objects.requireNonNull(jwtHs256SecretFile, "jwtHs256SecretFile");
        Objects.requireNonNull(jwtPublicKey, "jwtPublicKey");
        Objects.requireNonNull(jwtIssuer, "jwtIssuer");
        Objects.requireNonNull(jwtAudience, "jwtAudience");
        Objects.requireNonNull(jwtLeeway, "jwtLeeway");
        Objects.requireNonNull(failureWindow, "failureWindow");
        Objects.requireNonNull(banTime, "banTime");
        Objects.requireNonNull(turn, "turn");
    }

    /** The embedded defaults: no users, 5 failures in 5 min ban for 10 min, no token login, same-origin only. */
    public static SecurityConfig defaults() {
        return SecurityConfigReader.read(PropertySet.empty("built-in defaults"));
    }

    /** Users whose password is in the clear; the gateway warns about each at start-up. */
    public List<String> plainPasswordUsers() {
        return users.entrySet().stream().filter(e -> !e.getValue().hashed()).map(Map.Entry::getKey).toList();
    }

    @Override
    public String toString() {
        return "SecurityConfig[users=" + users.keySet() + " (secrets hidden), maxFailures=" + maxFailures
                + ", failureWindow=" + failureWindow + ", banTime=" + banTime + ", jwtAlgorithms=" + jwtAlgorithms
                + ", jwtHs256Secret=" + (jwtHs256Secret.isPresent() ? "***" : "-")
                + ", jwtHs256SecretFile=" + jwtHs256SecretFile.map(Path::toString).orElse("-")
                + ", jwtPublicKey=" + jwtPublicKey.map(Path::toString).orElse("-")
                + ", jwtIssuer=" + jwtIssuer.orElse("-") + ", jwtAudience=" + jwtAudience.orElse("-")
                + ", jwtLeeway=" + jwtLeeway + ", allowedOrigins=" + allowedOrigins
                + ", allowMissingOrigin=" + allowMissingOrigin + ", turn=" + turn + "]";
    }
}

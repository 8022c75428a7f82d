package org.pasarela.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The TURN servers logged-in browsers are sent to ({@code turn.*} keys): their URIs, the secret shared with them
 * (coturn's {@code static-auth-secret}, given inline or in a file the application reads at start-up) and how long
 * each handed-out credential lasts. No URIs means no TURN: the ack of {@code login} carries no
 * {@code iceServers}. Immutable; {@code toString()} hides the secret.
 */
public record TurnConfig(List<String> uris, Optional<String> secret, Optional<Path> secretFile, Duration ttl) {
    public TurnConfig {
        uris = List.copyOf(uris);
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(secretFile, "secretFile");
        Objects.requireNonNull(ttl, "ttl");
        if (!uris.isEmpty() && secret.isEmpty() && secretFile.isEmpty()) {
            throw new IllegalArgumentException("TURN URIs need a secret or a secret file");
        }
        if (secret.isPresent() && secretFile.isPresent()) {
            throw new IllegalArgumentException("a TURN secret is given inline or in a file, not both");
        }
    }

    /** Whether logged-in users get TURN credentials. */
    public boolean enabled() {
        return !uris.isEmpty();
    }

    @Override
    public String toString() {
        return "TurnConfig[uris=" + uris + ", secret=" + (secret.isPresent() ? "***" : "-") + ", secretFile="
                + secretFile.map(Path::toString).orElse("-") + ", ttl=" + ttl + "]";
    }
}

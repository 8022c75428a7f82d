package org.pasarela.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Digest credentials (RFC 3261 §22.4) a profile answers 401/407 challenges with. When {@code realm} is present,
 * only challenges from that realm are answered. {@code toString()} never shows the password, so a profile can be
 * logged.
 */
public record Credentials(String username, String password, Optional<String> realm) {
    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(realm, "realm");
        if (username.isEmpty()) {
            throw new IllegalArgumentException("credentials need a non-empty username");
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("credentials for '" + username + "' need a non-empty password");
        }
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=***, realm=" + realm.orElse("(any)") + "]";
    }
}

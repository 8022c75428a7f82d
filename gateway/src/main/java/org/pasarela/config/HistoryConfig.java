package org.pasarela.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the call history lives ({@code history.*} keys): a JDBC URL, optional credentials, and how long ended
 * calls are kept ({@link Duration#ZERO} = for ever). Immutable; {@code toString()} hides the password.
 */
public record HistoryConfig(String jdbcUrl, Optional<String> username, Optional<String> password,
                            Duration retention) {
    public HistoryConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(retention, "retention");
        if (!jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("jdbcUrl '" + jdbcUrl + "' must start with jdbc:");
        }
        if (retention.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative, got " + retention);
        }
    }

    /** The embedded default: SQLite in {@code history.db} under the data directory. */
    public static String defaultUrl(Path dataDir) {
        return "jdbc:sqlite:" + dataDir.resolve("history.db");
    }

    @Override
    public String toString() {
        return "HistoryConfig[jdbcUrl=" + jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***")
                + ", username=" + username.orElse("-") + ", password=" + (password.isPresent() ? "***" : "-")
                + ", retention=" + (retention.isZero() ? "forever" : retention.toDays() + "d") + "]";
    }
}

package org.pasarela.call;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.pasarela.auth.Authenticator;
import org.pasarela.config.SipProfile;

/**
 * What a browser session may do: who may log in (the gateway-wide {@link Authenticator}, with its limits and
 * security events), which profiles exist, and the limits per session. Built once from the configuration; immutable
 * (the authenticator is shared and thread-safe).
 */
public record SessionPolicy(Authenticator authenticator, Map<String, SipProfile> profiles,
                            Optional<String> defaultProfile, int maxCallsPerSession, Duration noAnswerTimeout) {
    public SessionPolicy {
        Objects.requireNonNull(authenticator, "authenticator");
        profiles = Map.copyOf(profiles);
        if (maxCallsPerSession < 1) {
            throw new IllegalArgumentException("maxCallsPerSession must be at least 1, got " + maxCallsPerSession);
        }
    }

    /** Users with plain passwords, default login limits, no token login and no security log: for tests. */
    public SessionPolicy(Map<String, String> passwords, Map<String, SipProfile> profiles,
                         Optional<String> defaultProfile, int maxCallsPerSession, Duration noAnswerTimeout) {
        this(Authenticator.withPlainPasswords(passwords), profiles, defaultProfile, maxCallsPerSession,
                noAnswerTimeout);
    }
}

package org.pasarela.config;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.pasarela.fraud.CallGuard;

/**
 * Everything read at start-up: the gateway settings, every profile by name (sorted), disabled ones included so
 * they can be listed (callers place calls only through {@link #enabledProfile}), the login settings and the
 * toll-fraud guard's rules. Immutable.
 */
public record LoadedConfig(GatewayConfig gateway, Map<String, SipProfile> profiles, SecurityConfig security,
                           CallGuard.Settings callRules) {

    public LoadedConfig {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(callRules, "callRules");
        profiles = Collections.unmodifiableMap(new TreeMap<>(profiles));
        profiles.forEach((name, profile) -> {
            if (!name.equals(profile.name())) {
                throw new IllegalArgumentException("profile '" + profile.name() + "' is filed under '" + name + "'");
            }
        });
    }

    /** Security settings and call rules at their defaults, with the gateway's plain-password users (tests and
     *  tools). */
    public LoadedConfig(GatewayConfig gateway, Map<String, SipProfile> profiles) {
        this(gateway, profiles, withPlainUsers(gateway.users()), CallRulesReader.read(
                PropertySet.empty("built-in defaults"), profiles.keySet(), Optional.empty()));
    }

    private static SecurityConfig withPlainUsers(Map<String, String> users) {
        SecurityConfig d = SecurityConfig.defaults();
        Map<String, SecurityConfig.UserSecret> secrets = new java.util.LinkedHashMap<>();
        users.forEach((name, password) -> secrets.put(name, new SecurityConfig.UserSecret(password, false)));
        return new SecurityConfig(secrets, d.maxFailures(), d.failureWindow(), d.banTime(), d.jwtAlgorithms(),
                d.jwtHs256Secret(), d.jwtHs256SecretFile(), d.jwtPublicKey(), d.jwtIssuer(), d.jwtAudience(),
                d.jwtLeeway(), d.allowedOrigins(), d.allowMissingOrigin(), d.turn());
    }

    /**
     * The profile calls use when the browser names none: {@code profile.default}. Empty when it was not set and the
     * implied default, the echo service, is disabled: calls must then name their profile. An explicit
     * {@code profile.default} must name an existing, enabled profile (the loader checks).
     */
    public Optional<SipProfile> defaultProfile() {
        return Optional.ofNullable(profiles.get(gateway.defaultProfile())).filter(SipProfile::enabled);
    }

    /** The named profile if it exists and is enabled. */
    public Optional<SipProfile> enabledProfile(String name) {
        return Optional.ofNullable(profiles.get(name)).filter(SipProfile::enabled);
    }
}

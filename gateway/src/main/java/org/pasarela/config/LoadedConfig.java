package org.pasarela.config;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything read at start-up: the gateway settings and every profile by name (sorted), disabled ones included so
 * they can be listed; callers place calls only through {@link #enabledProfile}. Immutable.
 */
public record LoadedConfig(GatewayConfig gateway, Map<String, SipProfile> profiles) {

    public LoadedConfig {
        Objects.requireNonNull(gateway, "gateway");
        profiles = Collections.unmodifiableMap(new TreeMap<>(profiles));
        profiles.forEach((name, profile) -> {
            if (!name.equals(profile.name())) {
                throw new IllegalArgumentException("profile '" + profile.name() + "' is filed under '" + name + "'");
            }
        });
    }

    /**
     * The profile calls use when the browser names none: {@code profile.default}. Empty only when no profile exists
     * at all (the echo service disabled and no sip-profiles); the loader refuses every other missing default.
     */
    public Optional<SipProfile> defaultProfile() {
        return Optional.ofNullable(profiles.get(gateway.defaultProfile()));
    }

    /** The named profile if it exists and is enabled. */
    public Optional<SipProfile> enabledProfile(String name) {
        return Optional.ofNullable(profiles.get(name)).filter(SipProfile::enabled);
    }
}

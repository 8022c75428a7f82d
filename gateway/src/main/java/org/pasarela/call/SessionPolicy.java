package org.pasarela.call;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pasarela.config.SipProfile;

/**
 * What a browser session may do: who may log in, which profiles exist, and the limits per session.
 * Built once from the configuration; immutable.
 */
public record SessionPolicy(Map<String, String> passwords, Map<String, SipProfile> profiles,
                            Optional<String> defaultProfile, int maxCallsPerSession, Duration noAnswerTimeout,
                            Map<String, String> sipPasswords) {
    public SessionPolicy {
        passwords = Map.copyOf(passwords);
        sipPasswords = Map.copyOf(sipPasswords);
        profiles = Map.copyOf(profiles);
        if (maxCallsPerSession < 1) {
            throw new IllegalArgumentException("maxCallsPerSession must be at least 1, got " + maxCallsPerSession);
        }
    }

    /** The names of the profiles a call may use (enabled ones), sorted, for the ack of {@code login}. */
    List<String> enabledProfileNames() {
        return profiles.values().stream().filter(SipProfile::enabled).map(SipProfile::name).sorted().toList();
    }

    /** The default profile if a call may use it, for the ack of {@code login}. */
    Optional<String> usableDefaultProfile() {
        return defaultProfile.filter(name -> profiles.containsKey(name) && profiles.get(name).enabled());
    }

    /** A policy whose users have no SIP passwords of their own. */
    public SessionPolicy(Map<String, String> passwords, Map<String, SipProfile> profiles,
                         Optional<String> defaultProfile, int maxCallsPerSession, Duration noAnswerTimeout) {
        this(passwords, profiles, defaultProfile, maxCallsPerSession, noAnswerTimeout, Map.of());
    }

    /** {@code user}'s own SIP password ({@code users.NAME.sip-password}), if configured. */
    Optional<String> sipPassword(String user) {
        return Optional.ofNullable(sipPasswords.get(user));
    }

    /** Constant-time comparison, so response timing does not leak how much of a password was right. */
    boolean accepts(String user, String password) {
        String expected = passwords.get(user);
        byte[] given = password.getBytes(StandardCharsets.UTF_8);
        if (expected == null) {
            MessageDigest.isEqual(given, given); // same work for unknown users
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given);
    }
}

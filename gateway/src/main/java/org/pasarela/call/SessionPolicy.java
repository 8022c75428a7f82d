package org.pasarela.call;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.pasarela.auth.Authenticator;
import org.pasarela.auth.TurnCredentials;
import org.pasarela.config.SipProfile;
import org.pasarela.fraud.CallGuard;
import org.pasarela.signaling.IceServer;

/**
 * What a browser session may do: who may log in (and how), which profiles exist, and the limits per session.
 * Built once from the configuration; immutable.
 *
 * @param sipPasswords users' own SIP passwords ({@code users.NAME.sip-password}), for registrations and calls
 * @param guard        the toll-fraud guard every outbound call passes before media or INVITE; shared by all sessions
 * @param turn         TURN credentials handed out in the ack of {@code login}, when TURN is configured
 * @param passwordChecksOffLane true: a password {@code login} becomes a {@link CallAction.CheckPassword} for the
 *                     runtime to run elsewhere, and the session holds later requests until the outcome; false:
 *                     checked inline (plain passwords in tests and tools)
 */
public record SessionPolicy(Authenticator authenticator, Map<String, SipProfile> profiles,
                            Optional<String> defaultProfile, int maxCallsPerSession, Duration noAnswerTimeout,
                            Map<String, String> sipPasswords, CallGuard guard, Optional<TurnCredentials> turn,
                            boolean passwordChecksOffLane) {
    public SessionPolicy {
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(turn, "turn");
        profiles = Map.copyOf(profiles);
        sipPasswords = Map.copyOf(sipPasswords);
        if (maxCallsPerSession < 1) {
            throw new IllegalArgumentException("maxCallsPerSession must be at least 1, got " + maxCallsPerSession);
        }
    }

    /** No toll-fraud rules or call limits, no TURN, passwords checked inline: for tests and tools. */
    public SessionPolicy(Authenticator authenticator, Map<String, SipProfile> profiles,
                         Optional<String> defaultProfile, int maxCallsPerSession, Duration noAnswerTimeout,
                         Map<String, String> sipPasswords) {
        this(authenticator, profiles, defaultProfile, maxCallsPerSession, noAnswerTimeout, sipPasswords,
                CallGuard.unrestricted(), Optional.empty(), false);
    }

    /** Users with plain passwords, default login limits, no token login and no security log: for tests. */
    public SessionPolicy(Map<String, String> passwords, Map<String, SipProfile> profiles,
                         Optional<String> defaultProfile, int maxCallsPerSession, Duration noAnswerTimeout) {
        this(passwords, profiles, defaultProfile, maxCallsPerSession, noAnswerTimeout, Map.of());
    }

    /** As above, with users' own SIP passwords. */
    public SessionPolicy(Map<String, String> passwords, Map<String, SipProfile> profiles,
                         Optional<String> defaultProfile, int maxCallsPerSession, Duration noAnswerTimeout,
                         Map<String, String> sipPasswords) {
        this(Authenticator.withPlainPasswords(passwords), profiles, defaultProfile, maxCallsPerSession,
                noAnswerTimeout, sipPasswords);
    }

    /** The names of the profiles {@code user}'s calls may use (enabled ones their group allows), sorted, for the
     *  ack of {@code login}. */
    List<String> enabledProfileNames(String user) {
        return profiles.values().stream().filter(SipProfile::enabled).map(SipProfile::name)
                .filter(name -> guard.mayUse(user, name)).sorted().toList();
    }

    /** The default profile if {@code user}'s calls may use it, for the ack of {@code login}. */
    Optional<String> usableDefaultProfile(String user) {
        return defaultProfile.filter(name -> profiles.containsKey(name) && profiles.get(name).enabled()
                && guard.mayUse(user, name));
    }

    /** The {@code iceServers} of the ack of {@code login}: fresh TURN credentials for {@code user}, or null. */
    List<IceServer> iceServersFor(String user, Instant now) {
        return turn.map(t -> {
            TurnCredentials.Issued issued = t.issue(user, now);
            return List.of(new IceServer(t.uris(), issued.username(), issued.password()));
        }).orElse(null);
    }

    /** {@code user}'s own SIP password ({@code users.NAME.sip-password}), if configured. */
    Optional<String> sipPassword(String user) {
        return Optional.ofNullable(sipPasswords.get(user));
    }
}

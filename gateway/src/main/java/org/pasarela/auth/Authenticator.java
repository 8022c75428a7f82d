package org.pasarela.auth;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.pasarela.auth.SecurityEvent.Type;

/**
 * Decides browser logins, by password or by signed token, for every session of the gateway: it consults the
 * {@link LoginThrottle} first (a banned user name or address costs no hash), checks the credentials, counts the
 * failure or forgives on success, and reports one {@link SecurityEvent} per outcome.
 *
 * <p>Unknown user names are checked against {@code unknownUser}, a verifier as slow as the real ones (a hash of a
 * random password), so the answer takes as long as for a known user with a wrong password.
 *
 * <p>Thread-safe: the maps are immutable, the throttle synchronises itself, verifiers and the event sink are
 * thread-safe by contract. Password checks are slow by design and run on the calling session's lane.
 */
public final class Authenticator {
    private final Map<String, PasswordVerifier> users;
    private final PasswordVerifier unknownUser;
    private final Optional<JwtVerifier> tokens;
    private final LoginThrottle throttle;
    private final SecurityEvents events;

    public Authenticator(Map<String, PasswordVerifier> users, PasswordVerifier unknownUser,
                         Optional<JwtVerifier> tokens, LoginThrottle throttle, SecurityEvents events) {
        this.users = Map.copyOf(users);
        this.unknownUser = Objects.requireNonNull(unknownUser, "unknownUser");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.events = Objects.requireNonNull(events, "events");
    }

    /** Plain passwords, default limits, no tokens, events dropped: for tests and tools built without a config. */
    public static Authenticator withPlainPasswords(Map<String, String> passwords) {
        Map<String, PasswordVerifier> users = new java.util.HashMap<>();
        passwords.forEach((user, password) -> users.put(user, new PlainPassword(password)));
        return new Authenticator(users, new PlainPassword("\u0000unknown user\u0000"), Optional.empty(),
                new LoginThrottle(LoginLimits.DEFAULT), SecurityEvents.NONE);
    }

    public boolean acceptsTokens() {
        return tokens.isPresent();
    }

    public LoginThrottle throttle() {
        return throttle;
    }

    /** A {@code login} with user name and password. */
    public LoginResult withPassword(String user, String password, String session, RemoteAddress from, Instant now) {
        Optional<LoginThrottle.Ban> ban = throttle.banFor(user, from, now);
        if (ban.isPresent()) {
            return banned(ban.get(), user, session, from, now);
        }
        PasswordVerifier verifier = users.get(user);
        boolean known = verifier != null;
        boolean matches = (known ? verifier : unknownUser).matches(password);
        if (known && matches) {
            return accepted(user, session, from, now, "password");
        }
        return failed(known ? Type.InvalidPassword : Type.InvalidAccountID, user, session, from, now,
                known ? "wrong password" : "unknown user", "invalid user or password");
    }

    /** A {@code login} with a token; {@code claimedUser} is the optional {@code user} field, which must match. */
    public LoginResult withToken(String token, String claimedUser, String session, RemoteAddress from, Instant now) {
        Optional<LoginThrottle.Ban> ban = throttle.banFor(claimedUser, from, now);
        if (ban.isPresent()) {
            return banned(ban.get(), claimedUser, session, from, now);
        }
        if (tokens.isEmpty()) {
            return failed(Type.InvalidToken, claimedUser, session, from, now, "token login is not enabled",
                    "token login is not enabled on this gateway (auth.jwt.algorithms)");
        }
        VerifiedToken verified;
        try {
            verified = tokens.get().verify(token, now);
        } catch (TokenException e) {
            return failed(Type.InvalidToken, claimedUser, session, from, now, e.getMessage(),
                    "token refused: " + e.getMessage());
        }
        if (claimedUser != null && !claimedUser.equals(verified.subject())) {
            return failed(Type.InvalidToken, claimedUser, session, from, now, "user differs from the token's sub",
                    "token refused: \"user\" differs from the token's \"sub\"");
        }
        Optional<LoginThrottle.Ban> userBan = throttle.banFor(verified.subject(), from, now);
        if (userBan.isPresent()) {
            return banned(userBan.get(), verified.subject(), session, from, now);
        }
        return accepted(verified.subject(), session, from, now, verified.algorithm() + " token");
    }

    /** A request that needs a login came before one: reported, nothing counted. */
    public void refusedRequest(String requestType, String session, RemoteAddress from, Instant now) {
        events.report(new SecurityEvent(Type.RequestNotAllowed, now, null, session, from,
                requestType + " before login"));
    }

    private LoginResult accepted(String user, String session, RemoteAddress from, Instant now, String how) {
        throttle.succeeded(user);
        events.report(new SecurityEvent(Type.SuccessfulAuth, now, user, session, from, how));
        return new LoginResult.Accepted(user);
    }

    private LoginResult failed(Type type, String user, String session, RemoteAddress from, Instant now,
                               String logReason, String clientReason) {
        events.report(new SecurityEvent(type, now, user, session, from, logReason));
        for (LoginThrottle.Ban ban : throttle.failed(user, from, now)) {
            String what = ban.subject() == LoginThrottle.Subject.USER ? "user" : "address";
            events.report(new SecurityEvent(Type.LoginBanned, now,
                    ban.subject() == LoginThrottle.Subject.USER ? ban.key() : null, session, from,
                    what + " banned for " + ban.secondsLeft(now) + " s after " + throttle.limits().maxFailures()
                            + " failed logins"));
        }
        return new LoginResult.Refused(clientReason);
    }

    private LoginResult banned(LoginThrottle.Ban ban, String user, String session, RemoteAddress from, Instant now) {
        long seconds = ban.secondsLeft(now);
        events.report(new SecurityEvent(Type.LoginRateLimited, now, user, session, from,
                (ban.subject() == LoginThrottle.Subject.USER ? "user" : "address") + " banned for " + seconds
                        + " s more"));
        return new LoginResult.Banned(seconds);
    }
}

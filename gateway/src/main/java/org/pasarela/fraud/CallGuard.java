package org.pasarela.fraud;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.pasarela.auth.RemoteAddress;
import org.pasarela.auth.SecurityEvent;
import org.pasarela.auth.SecurityEvents;

/**
 * The toll-fraud guard, modelled on OpenSIPS fraud_detection: decides whether a logged-in user may place one
 * outbound call, before any media or INVITE. In order: the user's group must allow the profile; the dialled number
 * (after the profile's rewrite rules) must pass the group's deny, premium-rate and international rules
 * ({@link CallRules}, {@link NumberPlan}); the user must be within the concurrent-call and calls-per-minute limits
 * ({@link CallLimiter}). Every refusal is reported as a {@code CallRefused} security event.
 *
 * <p>Calls to the built-in echo service ({@link Settings#freeProfile}) reach no trunk: they pass without number
 * rules or limits, unless the group's profiles leave echo out.
 *
 * <p>Thread-safe: the settings are immutable, the limiter synchronises itself, the event sink is thread-safe by
 * contract. Shared by every session of the gateway.
 */
public final class CallGuard {
    /**
     * @param groups      rules by group name
     * @param userGroups  each user's group ({@code users.NAME.group}); users not listed get {@code defaults}
     * @param freeProfile the built-in echo profile's name, when the echo service is on
     */
    public record Settings(NumberPlan plan, CallRules defaults, Map<String, CallRules> groups,
                           Map<String, String> userGroups, Optional<String> freeProfile) {
        public Settings {
            Objects.requireNonNull(plan, "plan");
            Objects.requireNonNull(defaults, "defaults");
            Objects.requireNonNull(freeProfile, "freeProfile");
            groups = Map.copyOf(groups);
            userGroups = Map.copyOf(userGroups);
            for (Map.Entry<String, String> member : userGroups.entrySet()) {
                if (!groups.containsKey(member.getValue())) {
                    throw new IllegalArgumentException("user '" + member.getKey() + "' is in group '"
                            + member.getValue() + "', which has no rules");
                }
            }
        }
    }

    /** One call a user wants to place: who, from where, through which profile, to which (rewritten) number. */
    public record Attempt(String user, String session, RemoteAddress remote, String profile, String number) {
        public Attempt {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(remote, "remote");
            Objects.requireNonNull(profile, "profile");
            Objects.requireNonNull(number, "number");
        }
    }

    /** The guard's answer. */
    public sealed interface Admission {
    }

    /** The call may go ahead; it holds {@code permit} (none for echo calls) until it ends. */
    public record Admitted(Optional<CallLimiter.Permit> permit) implements Admission {
        /** Frees the call's slot; idempotent. */
        public void release() {
            permit.ifPresent(CallLimiter.Permit::release);
        }
    }

    /** The call is refused; {@code reason} says why, for the user and the security log. */
    public record Refused(String reason) implements Admission {
    }

    private final Settings settings;
    private final CallLimiter limiter;
    private final SecurityEvents events;

    public CallGuard(Settings settings, CallLimiter limiter, SecurityEvents events) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.events = Objects.requireNonNull(events, "events");
    }

    /** Lets every call through, without limits or events: for tests and tools built without a configuration. */
    public static CallGuard unrestricted() {
        return new CallGuard(new Settings(NumberPlan.NONE, CallRules.UNRESTRICTED, Map.of(), Map.of(),
                Optional.empty()), new CallLimiter(), SecurityEvents.NONE);
    }

    public Settings settings() {
        return settings;
    }

    public CallLimiter limiter() {
        return limiter;
    }

    /** The rules {@code user} calls under: their group's, or the defaults. */
    public CallRules rulesFor(String user) {
        String group = settings.userGroups().get(user);
        return group == null ? settings.defaults() : settings.groups().get(group);
    }

    /** Whether {@code user}'s group lets them use {@code profile} at all (the login ack lists only these). */
    public boolean mayUse(String user, String profile) {
        return rulesFor(user).mayUse(profile);
    }

    /** Decides one call; a refusal is reported before it is returned. */
    public Admission admit(Attempt attempt, Instant now) {
        Admission admission = decide(attempt, now);
        if (admission instanceof Refused refused) {
            events.report(new SecurityEvent(SecurityEvent.Type.CallRefused, now, attempt.user(), attempt.session(),
                    attempt.remote(), "profile " + attempt.profile() + ": " + refused.reason()));
        }
        return admission;
    }

    /**
     * Decides the target of a blind transfer (SIP REFER): the far end, usually the trunk, places that call on the
     * user's behalf, so the same profile and number rules apply as to a call. The limits do not: the transfer
     * replaces the user's call instead of adding one. A refusal is reported as a {@code CallRefused} event.
     */
    public Admission admitTransfer(Attempt attempt, Instant now) {
        Admission admission = numberRules(attempt).map(r -> (Admission) r).orElse(new Admitted(Optional.empty()));
        if (admission instanceof Refused refused) {
            events.report(new SecurityEvent(SecurityEvent.Type.CallRefused, now, attempt.user(), attempt.session(),
                    attempt.remote(), "profile " + attempt.profile() + ": transfer: " + refused.reason()));
        }
        return admission;
    }

    private Admission decide(Attempt attempt, Instant now) {
        Optional<Refused> refused = numberRules(attempt);
        if (refused.isPresent()) {
            return refused.get();
        }
        if (settings.freeProfile().filter(attempt.profile()::equals).isPresent()) {
            return new Admitted(Optional.empty());
        }
        CallRules rules = rulesFor(attempt.user());
        CallLimiter.Outcome outcome = limiter.acquire(attempt.user(), rules.maxConcurrentCalls(),
                rules.maxCallsPerMinute(), now);
        if (outcome instanceof CallLimiter.Exceeded exceeded) {
            return new Refused(exceeded.reason());
        }
        return new Admitted(Optional.of((CallLimiter.Permit) outcome));
    }

    /** The profile and number rules, without the limits; echo calls pass the number rules. */
    private Optional<Refused> numberRules(Attempt attempt) {
        CallRules rules = rulesFor(attempt.user());
        if (!rules.mayUse(attempt.profile())) {
            return Optional.of(new Refused("profile '" + attempt.profile() + "' is not allowed for " + rules.owner()));
        }
        if (settings.freeProfile().filter(attempt.profile()::equals).isPresent()) {
            return Optional.empty();
        }
        String number = attempt.number();
        Optional<Pattern> denied = rules.denied(number);
        if (denied.isPresent()) {
            return Optional.of(new Refused(number + " matches denied pattern " + denied.get().pattern() + " ("
                    + rules.owner() + ")"));
        }
        NumberPlan.Classification kind = settings.plan().classify(number);
        if (kind.premiumPrefix().isPresent() && !rules.allowed(number)) {
            return Optional.of(new Refused(number + " matches premium-rate prefix " + kind.premiumPrefix().get()
                    + " (not allowed for " + rules.owner() + ")"));
        }
        if (kind.international() && !rules.allowed(number)) {
            return Optional.of(new Refused(number + " is an international number (not allowed for "
                    + rules.owner() + ")"));
        }
        return Optional.empty();
    }

    /**
     * The number the rules see for a request URI's user part: percent-escapes decoded (so {@code %2B44} cannot
     * slip past a {@code +44} rule) and the separators people type between digit groups removed.
     */
    public static String dialledNumber(String uriUser) {
        return org.pasarela.dialplan.NumberRewriter.normalise(percentDecode(uriUser));
    }

    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
                    && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

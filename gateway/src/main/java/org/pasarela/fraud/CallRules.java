package org.pasarela.fraud;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the users of one group (or users without a group) may call: which profiles, which numbers, how many calls at
 * once and per minute. Immutable.
 *
 * <p>Number rules, applied to the dialled number after the profile's rewrite rules: a number matching a {@code deny}
 * pattern is refused; one that is premium-rate or international ({@link NumberPlan}) is refused unless it matches
 * an {@code allow} pattern; anything else is allowed. Patterns match the whole number.
 *
 * @param group              the group's name, empty for the rules of users without a group
 * @param profiles           the profiles these users may call through; empty = every enabled profile
 * @param allow              numbers let through despite being international or premium-rate
 * @param deny               numbers always refused
 * @param maxConcurrentCalls calls a user may have in progress at once, over all their sessions; 0 = no limit
 * @param maxCallsPerMinute  calls a user may start within any 60 seconds; 0 = no limit
 */
public record CallRules(Optional<String> group, Optional<Set<String>> profiles, List<Pattern> allow,
                        List<Pattern> deny, int maxConcurrentCalls, int maxCallsPerMinute) {
    /** Everything allowed, no limits: for tests and tools built without a configuration. */
    public static final CallRules UNRESTRICTED = new CallRules(Optional.empty(), Optional.empty(), List.of(),
            List.of(), 0, 0);

    public CallRules {
        Objects.requireNonNull(group, "group");
        profiles = profiles.map(Set::copyOf);
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        if (maxConcurrentCalls < 0 || maxCallsPerMinute < 0) {
            throw new IllegalArgumentException("call limits must be 0 (no limit) or more, got " + maxConcurrentCalls
                    + " concurrent and " + maxCallsPerMinute + " per minute");
        }
    }

    /** How refusals name these rules: {@code group basic}, or {@code users without a group}. */
    public String owner() {
        return group.map(g -> "group " + g).orElse("users without a group");
    }

    boolean mayUse(String profile) {
        return profiles.isEmpty() || profiles.get().contains(profile);
    }

    Optional<Pattern> denied(String number) {
        return deny.stream().filter(p -> p.matcher(number).matches()).findFirst();
    }

    boolean allowed(String number) {
        return allow.stream().anyMatch(p -> p.matcher(number).matches());
    }
}

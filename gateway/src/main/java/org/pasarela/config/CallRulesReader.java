package org.pasarela.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.pasarela.fraud.CallGuard;
import org.pasarela.fraud.CallRules;
import org.pasarela.fraud.NumberPlan;

/**
 * Reads the toll-fraud guard's settings: the numbering plan ({@code dialplan.*}), the call limits of users without
 * a group ({@code call.max-concurrent-per-user}, {@code call.max-per-minute-per-user}), each group's rules
 * ({@code groups.G.profiles|allow|deny|max-concurrent-calls|max-calls-per-minute}) and each user's group
 * ({@code users.NAME.group}). {@code groups.G.members} belongs to inbound ringing groups and is only tolerated here.
 * A group named {@code default} holds the rules of users without a group. Pure.
 */
final class CallRulesReader {
    static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** The group whose rules apply to users without {@code users.NAME.group}. */
    static final String DEFAULT_GROUP = "default";
    static final List<String> GROUP_KEYS = List.of("profiles", "allow", "deny", "max-concurrent-calls",
            "max-calls-per-minute");
    /** Sub-keys other readers own (inbound ringing groups). */
    static final List<String> FOREIGN_GROUP_KEYS = List.of("members");
    private static final Pattern GROUP_KEY = Pattern.compile("groups\\.([^.]*)\\.(.+)");
    private static final Pattern USER_GROUP_KEY = Pattern.compile("users\\.(.+)\\.group");
    private static final int MAX_LIMIT = 100_000;
    private static final String LIMIT_EXPECTED = "expected a number of calls 0-" + MAX_LIMIT + " (0 = no limit)";

    private CallRulesReader() {
    }

    /**
     * @param profiles    every profile's name, for checking {@code groups.G.profiles}
     * @param freeProfile the built-in echo profile, when the echo service is on
     */
    static CallGuard.Settings read(PropertySet p, Set<String> profiles, Optional<String> freeProfile) {
        NumberPlan plan = plan(p);
        int maxConcurrent = p.integer("call.max-concurrent-per-user", d("call.max-concurrent-per-user"), 0, MAX_LIMIT,
                LIMIT_EXPECTED);
        int maxPerMinute = p.integer("call.max-per-minute-per-user", d("call.max-per-minute-per-user"), 0, MAX_LIMIT,
                LIMIT_EXPECTED);
        Map<String, CallRules> groups = groups(p, profiles, maxConcurrent, maxPerMinute);
        CallRules defaults = groups.getOrDefault(DEFAULT_GROUP, new CallRules(Optional.empty(), Optional.empty(),
                List.of(), List.of(), maxConcurrent, maxPerMinute));
        Map<String, String> userGroups = new LinkedHashMap<>();
        for (String key : p.keys()) {
            Matcher m = USER_GROUP_KEY.matcher(key);
            if (!m.matches()) {
                continue;
            }
            String user = m.group(1);
            if (!GatewayConfigReader.USER_NAME.matcher(user).matches()) {
                throw p.bad(key, "expected a user name matching " + GatewayConfigReader.USER_NAME.pattern()
                        + " in users.NAME.group");
            }
            String group = p.text(key, "");
            if (!groups.containsKey(group)) {
                String known = groups.isEmpty() ? "none is configured" : "configured: "
                        + String.join(", ", groups.keySet());
                throw p.bad(key, "expected a group with rules (groups." + (group.isEmpty() ? "NAME" : group)
                        + ".profiles, .allow, .deny, .max-concurrent-calls or .max-calls-per-minute); " + known);
            }
            userGroups.put(user, group);
        }
        return new CallGuard.Settings(plan, defaults, groups, userGroups, freeProfile);
    }

    private static NumberPlan plan(PropertySet p) {
        Optional<String> countryCode = p.optionalText("dialplan.country-code");
        if (countryCode.isPresent() && !countryCode.get().matches("[1-9][0-9]{0,2}")) {
            throw p.bad("dialplan.country-code", "expected a country calling code of 1-3 digits without + or 00, "
                    + "such as 34, 44 or 1, or nothing");
        }
        String nationalPrefix = p.text("dialplan.national-prefix", d("dialplan.national-prefix"));
        if (!nationalPrefix.matches("[0-9]{0,4}")) {
            throw p.bad("dialplan.national-prefix", "expected the trunk prefix of national numbers, 0-4 digits "
                    + "(0 in most of Europe, 1 in NANP, nothing in Spain)");
        }
        List<String> international = prefixes(p, "dialplan.international-prefixes",
                "expected a comma-separated list of prefixes that start international numbers, such as +,00 "
                        + "(+ or 1-16 digits each), or nothing", false);
        List<String> premium = prefixes(p, "dialplan.premium-prefixes",
                "expected a comma-separated list of premium-rate prefixes, each 1-16 digits, with a leading + "
                        + "when written in international form (+449), or nothing", true);
        return new NumberPlan(countryCode, nationalPrefix, international, premium);
    }

    private static List<String> prefixes(PropertySet p, String key, String expected, boolean digitsAfterPlus) {
        String value = p.text(key, d(key));
        if (value.isEmpty()) {
            return List.of();
        }
        List<String> prefixes = new ArrayList<>();
        for (String item : p.list(key, d(key), expected)) {
            String digits = item.startsWith("+") ? item.substring(1) : item;
            boolean ok = digitsAfterPlus ? digits.matches("[0-9]{1,16}")
                    : item.equals("+") || item.matches("[0-9]{1,16}");
            if (!ok || prefixes.contains(item)) {
                throw p.bad(key, expected + (ok ? "; '" + item + "' is listed twice" : "; '" + item
                        + "' is not one"));
            }
            prefixes.add(item);
        }
        return prefixes;
    }

    private static Map<String, CallRules> groups(PropertySet p, Set<String> profiles, int maxConcurrent,
                                                 int maxPerMinute) {
        Set<String> names = new java.util.TreeSet<>();
        for (String key : p.keys()) {
            Matcher m = GROUP_KEY.matcher(key);
            if (!key.startsWith("groups.")) {
                continue;
            }
            if (!m.matches() || !GROUP_NAME.matcher(m.group(1)).matches() || m.group(2).contains(".")) {
                throw p.bad(key, "expected groups.NAME.KEY with a group name matching " + GROUP_NAME.pattern());
            }
            String sub = m.group(2);
            if (!GROUP_KEYS.contains(sub) && !FOREIGN_GROUP_KEYS.contains(sub)) {
                List<String> known = new ArrayList<>(GROUP_KEYS);
                known.addAll(FOREIGN_GROUP_KEYS);
                String hint = PropertySet.closest(sub, known).map(k -> "; did you mean '" + k + "'?").orElse("");
                throw p.bad(key, "unknown group key; a group has " + String.join(", ", known) + hint);
            }
            if (GROUP_KEYS.contains(sub)) {
                names.add(m.group(1));
            }
        }
        Map<String, CallRules> groups = new TreeMap<>();
        for (String name : names) {
            groups.put(name, group(p, name, profiles, maxConcurrent, maxPerMinute));
        }
        return groups;
    }

    private static CallRules group(PropertySet p, String name, Set<String> profiles, int maxConcurrent,
                                   int maxPerMinute) {
        String prefix = "groups." + name + ".";
        Optional<Set<String>> allowedProfiles = Optional.empty();
        if (p.has(prefix + "profiles")) {
            String key = prefix + "profiles";
            String expected = "expected a comma-separated list of profile names (known: "
                    + String.join(", ", new java.util.TreeSet<>(profiles)) + "), or nothing for none";
            Set<String> list = new LinkedHashSet<>();
            if (!p.text(key, "").isEmpty()) {
                for (String profile : p.list(key, "", expected)) {
                    if (!profiles.contains(profile)) {
                        throw p.bad(key, expected + "; '" + profile + "' does not exist");
                    }
                    list.add(profile);
                }
            }
            allowedProfiles = Optional.of(list);
        }
        int concurrent = p.has(prefix + "max-concurrent-calls")
                ? p.integer(prefix + "max-concurrent-calls", "", 0, MAX_LIMIT, LIMIT_EXPECTED) : maxConcurrent;
        int perMinute = p.has(prefix + "max-calls-per-minute")
                ? p.integer(prefix + "max-calls-per-minute", "", 0, MAX_LIMIT, LIMIT_EXPECTED) : maxPerMinute;
        return new CallRules(Optional.of(name), allowedProfiles, patterns(p, prefix + "allow"),
                patterns(p, prefix + "deny"), concurrent, perMinute);
    }

    /** Whitespace-separated regular expressions (commas are common inside them, {@code [0-9]{9,10}}). */
    private static List<Pattern> patterns(PropertySet p, String key) {
        List<Pattern> patterns = new ArrayList<>();
        String value = p.text(key, "");
        if (value.isEmpty()) {
            return patterns;
        }
        for (String item : value.split("\\s+")) {
            try {
                patterns.add(Pattern.compile(item));
            } catch (PatternSyntaxException e) {
                throw p.bad(key, "expected whitespace-separated Java regular expressions matched against the whole "
                        + "dialled number (write a literal + as [+]); '" + item + "': " + e.getDescription()
                        + " near index " + e.getIndex());
            }
        }
        return patterns;
    }

    private static String d(String key) {
        return GatewayConfigReader.DEFAULTS.get(key);
    }
}

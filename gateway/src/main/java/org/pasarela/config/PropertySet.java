package org.pasarela.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Raw key/value pairs for one configuration unit (the gateway, or one profile), each remembering where it came
 * from, with typed getters whose failures are {@link ConfigException}s in the house format
 * {@code WHERE = 'VALUE': EXPECTATION}. Pure; the loader fills it. Not thread-safe; used once at start-up.
 */
final class PropertySet {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)?");
    static final Duration MAX_DURATION = Duration.ofHours(24);

    /** Where values come from: a file, the command line ({@code --set}) or something built in. */
    record Origin(String label, boolean commandLine) {
        static final Origin COMMAND_LINE = new Origin("--set", true);

        static Origin file(Path path) {
            return new Origin(path.normalize().toString(), false);
        }

        static Origin builtIn(String what) {
            return new Origin(what, false);
        }

        String where(String key) {
            return commandLine ? "--set " + key : label + ": " + key;
        }
    }

    /** One value; {@code key} is spelt as the user wrote it (e.g. {@code profile.echo.codecs} on the command line). */
    record Entry(String key, String value, Origin origin) {
        String where() {
            return origin.where(key);
        }
    }

    private final String home;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** {@code home} names the unit in errors about missing keys, e.g. {@code sip-profiles/trunk.properties}. */
    PropertySet(String home) {
        this.home = home;
    }

    static PropertySet empty(String home) {
        return new PropertySet(home);
    }

    String home() {
        return home;
    }

    /** Adds or replaces the value for {@code lookupKey}; later sources win. */
    void put(String lookupKey, Entry entry) {
        entries.put(lookupKey, entry);
    }

    Set<String> keys() {
        return entries.keySet();
    }

    Optional<Entry> entry(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    /** A {@link ConfigException} blaming the value of {@code key}. */
    ConfigException bad(String key, String expected) {
        Entry e = entries.get(key);
        if (e == null) {
            return new ConfigException(home + ": " + key + ": " + expected);
        }
        return new ConfigException(e.where() + " = '" + e.value() + "': " + expected);
    }

    /** Like {@link #bad} but without echoing the value: for passwords. */
    ConfigException badSecret(String key, String expected) {
        Entry e = entries.get(key);
        String where = e == null ? home + ": " + key : e.where();
        return new ConfigException(where + " = '***': " + expected);
    }

    ConfigException missing(String key, String expected) {
        return new ConfigException(home + ": " + key + " is missing: " + expected);
    }

    /** The stripped value, or {@code def} when the key is absent. */
    String text(String key, String def) {
        Entry e = entries.get(key);
        return e == null ? def : e.value().strip();
    }

    Optional<String> optionalText(String key) {
        String v = text(key, "");
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    /** Text without control characters, at most {@code maxLength} long, not empty. */
    String plainText(String key, String def, int maxLength) {
        String v = text(key, def);
        if (v.isEmpty() || v.length() > maxLength || v.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
            throw bad(key, "expected non-empty text of at most " + maxLength + " characters without control "
                    + "characters");
        }
        return v;
    }

    int port(String key, String def, boolean allowZero) {
        String expected = allowZero ? "expected a port number 1-65535, or 0 for any free port"
                : "expected a port number 1-65535";
        return integer(key, def, allowZero ? 0 : 1, 65535, expected);
    }

    int integer(String key, String def, int min, int max, String expected) {
        String v = text(key, def);
        if (v.isEmpty() || v.length() > 10 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw bad(key, expected);
        }
        long n = Long.parseLong(v);
        if (n < min || n > max) {
            throw bad(key, expected);
        }
        return (int) n;
    }

    boolean bool(String key, String def) {
        String v = text(key, def);
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw bad(key, "expected true or false");
    }

    /** A positive duration up to 24h: {@code 90s}, {@code 2m}, {@code 500ms}, {@code 1h}, or plain seconds. */
    Duration duration(String key, String def) {
        return parseDuration(text(key, def)).orElseThrow(() -> bad(key,
                "expected a duration between 1ms and 24h such as 90s, 2m, 500ms or plain seconds"));
    }

    static Optional<Duration> parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero() || d.compareTo(MAX_DURATION) > 0) {
            return Optional.empty();
        }
        return Optional.of(d);
    }

    /** Host name or IP address (not resolved). */
    String address(String key, String def) {
        String v = text(key, def);
        Optional<String> problem = HostSyntax.addressProblem(v);
        if (problem.isPresent()) {
            throw bad(key, "expected a hostname or IP address (" + problem.get() + ")");
        }
        return v;
    }

    Optional<Path> optionalPath(String key) {
        return optionalText(key).map(v -> path(key, v));
    }

    Path path(String key, String def) {
        String v = text(key, def);
        if (v.isEmpty()) {
            throw bad(key, "expected a file or directory path");
        }
        try {
            return Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            throw bad(key, "expected a file or directory path (" + e.getReason() + ")");
        }
    }

    /** Comma-separated list; empty items (e.g. from {@code a,,b}) are an error, blanks around items are not. */
    List<String> list(String key, String def, String expected) {
        String v = text(key, def);
        List<String> items = new ArrayList<>();
        for (String item : v.split(",", -1)) {
            if (item.isBlank()) {
                throw bad(key, expected);
            }
            items.add(item.strip());
        }
        return items;
    }

    /** An "unknown key" error, with a did-you-mean suggestion when a known key is one or two edits away. */
    ConfigException unknownKey(String key, Collection<String> known) {
        String hint = closest(key, known).map(k -> "; did you mean '" + k + "'?").orElse("");
        return bad(key, "unknown key" + hint);
    }

    static Optional<String> closest(String key, Collection<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = editDistance(key, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

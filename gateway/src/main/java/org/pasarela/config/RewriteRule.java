package org.pasarela.config;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One dial-plan rule from {@code rewrite.N.match} / {@code rewrite.N.replace}: when {@code match} matches the
 * whole dialled number, the number becomes {@code replace} with {@code $1}, {@code ${name}} group references
 * filled in. Two rules are equal when their regex text and replacement are equal.
 */
public record RewriteRule(Pattern match, String replace) {

    public RewriteRule {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(replace, "replace");
        Optional<String> problem = replacementProblem(match, replace);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
    }

    /** Compiles {@code regex}; throws {@link IllegalArgumentException} with the regex error if it is invalid. */
    public static RewriteRule of(String regex, String replace) {
        return new RewriteRule(compile(regex), replace);
    }

    /** Compiles a rule's regex, turning the JDK's multi-line syntax error into a one-line reason. */
    static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(e.getDescription() + " near index " + e.getIndex(), e);
        }
    }

    /**
     * The rewritten number if this rule matches all of {@code number}, else empty. Uses a full match, so a rule
     * like {@code .*} produces its replacement once (where {@code replaceAll} would also replace the empty tail).
     */
    public Optional<String> apply(String number) {
        Matcher m = match.matcher(number);
        if (!m.matches()) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder();
        m.appendReplacement(out, replace);
        m.appendTail(out);
        return Optional.of(out.toString());
    }

    /**
     * Why {@code replace} cannot be used with {@code match}, or empty: a group number beyond the pattern's groups,
     * an unknown named group, or a dangling {@code $} or {@code \}.
     */
    static Optional<String> replacementProblem(Pattern match, String replace) {
        int groups = match.matcher("").groupCount();
        for (int i = 0; i < replace.length(); i++) {
            char c = replace.charAt(i);
            if (c == '\\') {
                if (i + 1 >= replace.length()) {
                    return Optional.of("ends with a lone '\\'");
                }
                i++;
            } else if (c == '$') {
                if (i + 1 >= replace.length()) {
                    return Optional.of("ends with a lone '$' (write \\$ for a literal dollar)");
                }
                char next = replace.charAt(i + 1);
                if (next == '{') {
                    int close = replace.indexOf('}', i);
                    if (close < 0) {
                        return Optional.of("has '${' without a closing '}'");
                    }
                    String name = replace.substring(i + 2, close);
                    if (!match.pattern().contains("(?<" + name + ">")) {
                        return Optional.of("refers to group ${" + name + "}, which the match regex does not define");
                    }
                    i = close;
                } else if (Character.isDigit(next)) {
                    int group = next - '0';
                    if (group > groups) {
                        return Optional.of("refers to group $" + group + " but the match regex has only " + groups
                                + (groups == 1 ? " group" : " groups"));
                    }
                    i++;
                } else {
                    return Optional.of("has '$' not followed by a group number (write \\$ for a literal dollar)");
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RewriteRule r && r.match.pattern().equals(match.pattern()) && r.replace.equals(replace);
    }

    @Override
    public int hashCode() {
        return Objects.hash(match.pattern(), replace);
    }

    @Override
    public String toString() {
        return match.pattern() + " -> " + replace;
    }
}

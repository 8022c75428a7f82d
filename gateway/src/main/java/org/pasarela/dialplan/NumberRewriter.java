package org.pasarela.dialplan;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.pasarela.config.RewriteRule;

/**
 * Applies a profile's dial-plan rules to a dialled number: the first rule whose regex matches the whole number
 * wins; no match leaves the number unchanged. Pure and immutable.
 */
public final class NumberRewriter {
    /** A dialled phone number: digits, {@code + * #} and the separators people type between digit groups. */
    private static final Pattern PHONE_NUMBER = Pattern.compile("[+]?[0-9*#][0-9*# ().-]*");
    private static final Pattern SEPARATORS = Pattern.compile("[ ().-]");

    private final List<RewriteRule> rules;

    public NumberRewriter(List<RewriteRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * Removes the spaces, dashes, dots and parentheses people type in phone numbers:
     * {@code +34 (93) 123-45-67} becomes {@code +34931234567}. Text with letters is a user name (such as
     * {@code alice.smith}) and is only trimmed.
     */
    public static String normalise(String dialled) {
        String s = dialled.strip();
        if (PHONE_NUMBER.matcher(s).matches()) {
            return SEPARATORS.matcher(s).replaceAll("");
        }
        return s;
    }

    /** The normalised number after the first fully matching rule, or just normalised if no rule matches. */
    public String rewrite(String dialled) {
        String number = normalise(dialled);
        for (RewriteRule rule : rules) {
            Optional<String> rewritten = rule.apply(number);
            if (rewritten.isPresent()) {
                return rewritten.get();
            }
        }
        return number;
    }
}

package org.pasarela.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RewriteRuleTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0([0-9]+) | +$ | ends with a lone '$' (write \\$ for a literal dollar)",
            "0([0-9]+) | x\\ | ends with a lone '\\'",
            "0([0-9]+) | $x | has '$' not followed by a group number (write \\$ for a literal dollar)",
            "0([0-9]+) | ${n | has '${' without a closing '}'",
            "0([0-9]+) | ${n} | refers to group ${n}, which the match regex does not define",
            "[0-9]+ | $1 | refers to group $1 but the match regex has only 0 groups",
    })
    void explainsWhyAReplacementCannotWork(String regex, String replace, String problem) {
        assertThat(RewriteRule.replacementProblem(Pattern.compile(regex), replace)).contains(problem);
        assertThatThrownBy(() -> RewriteRule.of(regex, replace)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(problem);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0([0-9]+) | +34$1", "0([0-9]+) | \\$$0", "0(?<n>[0-9]+) | ${n}"})
    void acceptsValidReplacements(String regex, String replace) {
        assertThat(RewriteRule.replacementProblem(Pattern.compile(regex), replace)).isEmpty();
    }

    @Test
    void turnsRegexSyntaxErrorIntoOneLine() {
        assertThatThrownBy(() -> RewriteRule.of("(", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unclosed group near index 1");
    }

    @Test
    void comparesRulesByRegexTextAndReplacement() {
        assertThat(RewriteRule.of("0(.*)", "$1")).isEqualTo(RewriteRule.of("0(.*)", "$1"))
                .hasSameHashCodeAs(RewriteRule.of("0(.*)", "$1"))
                .isNotEqualTo(RewriteRule.of("0(.*)", "+$1"));
    }
}

package org.pasarela.dialplan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pasarela.config.RewriteRule;

class NumberRewriterTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "+34 (93) 123-45-67 | +34931234567",
            "93.123.45.67 | 931234567",
            "  600 123 456  | 600123456",
            "*98# | *98#",
            "alice.smith | alice.smith",
            "echo | echo",
            "no-reply | no-reply",
    })
    void removesSeparatorsFromNumbersButNotFromUserNames(String dialled, String expected) {
        assertThat(NumberRewriter.normalise(dialled)).isEqualTo(expected);
    }

    @Test
    void appliesOnlyTheFirstRuleThatMatchesTheWholeNumber() {
        NumberRewriter rewriter = new NumberRewriter(List.of(
                RewriteRule.of("00([0-9]+)", "+$1"),
                RewriteRule.of("([6-9][0-9]{8})", "+34$1"),
                RewriteRule.of("[0-9]+", "never")));
        assertThat(rewriter.rewrite("0033 1 23 45 67 89")).isEqualTo("+33123456789");
        assertThat(rewriter.rewrite("612 345 678")).isEqualTo("+34612345678");
    }

    @Test
    void ignoresRulesThatMatchOnlyPartOfTheNumber() {
        NumberRewriter rewriter = new NumberRewriter(List.of(RewriteRule.of("6", "seven")));
        assertThat(rewriter.rewrite("612345678")).isEqualTo("612345678");
    }

    @Test
    void leavesNumberUnchangedButNormalisedWhenNoRuleMatches() {
        NumberRewriter rewriter = new NumberRewriter(List.of(RewriteRule.of("00([0-9]+)", "+$1")));
        assertThat(rewriter.rewrite("+34 93 123 45 67")).isEqualTo("+34931234567");
    }

    @Test
    void producesTheReplacementOnceForAPatternThatAlsoMatchesEmptyText() {
        NumberRewriter rewriter = new NumberRewriter(List.of(RewriteRule.of(".*", "1000")));
        assertThat(rewriter.rewrite("123")).isEqualTo("1000");
    }

    @Test
    void fillsNamedGroups() {
        NumberRewriter rewriter = new NumberRewriter(List.of(RewriteRule.of("0(?<rest>[0-9]+)", "+34${rest}")));
        assertThat(rewriter.rewrite("0931234567")).isEqualTo("+34931234567");
    }

    @Test
    void rewritesUserNamesToo() {
        NumberRewriter rewriter = new NumberRewriter(List.of(RewriteRule.of("reception", "100")));
        assertThat(rewriter.rewrite("reception")).isEqualTo("100");
    }

    @Test
    void leavesEverythingAloneWithoutRules() {
        assertThat(new NumberRewriter(List.of()).rewrite("+34931234567")).isEqualTo("+34931234567");
    }
}

package org.pasarela.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NumberPlanTest {
    private static final List<String> PREMIUM = List.of("+1900", "+1976", "+449", "+34803", "+34806", "+34807",
            "+34905");

    private static NumberPlan plan(String countryCode, String nationalPrefix, String... extraPremium) {
        List<String> premium = new java.util.ArrayList<>(PREMIUM);
        premium.addAll(List.of(extraPremium));
        return new NumberPlan(Optional.ofNullable(countryCode), nationalPrefix, List.of("+", "00"), premium);
    }

    @ParameterizedTest(name = "{0} with home country {1} (national prefix {2}): international {3}, premium {4}")
    @CsvSource(nullValues = "-", value = {
            // unknown home country: every + and 00 number is international; national numbers are not classified
            "+442071234567, -, 0, true, -",
            "00442071234567, -, 0, true, -",
            "+449012345678, -, 0, true, +449",
            "0044909123456, -, 0, true, +449",
            "0909123456, -, 0, false, -",
            "806123456, -, 0, false, -",
            "1000, -, 0, false, -",
            // Spain, no trunk prefix: national 806... is +34806...; +34 numbers are home numbers
            "806123456, 34, '', false, +34806",
            "905123456, 34, '', false, +34905",
            "912345678, 34, '', false, -",
            "+34806123456, 34, '', false, +34806",
            "0034912345678, 34, '', false, -",
            "+33142345678, 34, '', true, -",
            // UK, trunk prefix 0: 0909... is +44909...
            "09091234567, 44, 0, false, +449",
            "02071234567, 44, 0, false, -",
            "+449091234567, 44, 0, false, +449",
            "+12025550123, 44, 0, true, -",
            // NANP, trunk prefix 1
            "19005550123, 1, 1, false, +1900",
            "+19765550123, 1, 1, false, +1976",
            "12025550123, 1, 1, false, -",
    })
    void classifiesInternationalAndPremiumRateNumbers(String number, String countryCode, String nationalPrefix,
                                                     boolean international, String premium) {
        NumberPlan.Classification kind = plan(countryCode, nationalPrefix).classify(number);
        assertThat(kind.international()).isEqualTo(international);
        assertThat(kind.premiumPrefix()).isEqualTo(Optional.ofNullable(premium));
    }

    @Test
    void matchesPremiumPrefixesWrittenInNationalFormAgainstTheNationalForm() {
        NumberPlan uk = plan("44", "0", "09", "118");
        assertThat(uk.classify("118118").premiumPrefix()).contains("118");
        assertThat(uk.classify("+449012345678").premiumPrefix()).contains("+449");
        NumberPlan unknownHome = plan(null, "0", "09");
        assertThat(unknownHome.classify("09012345678").premiumPrefix()).contains("09");
        assertThat(unknownHome.classify("+449012345678").premiumPrefix()).contains("+449");
    }

    @Test
    void aLongerInternationalPrefixWinsOverAShorterOne() {
        NumberPlan nanp = new NumberPlan(Optional.of("1"), "1", List.of("+", "011", "0"), List.of("+449"));
        assertThat(nanp.classify("011449012345678")).isEqualTo(
                new NumberPlan.Classification(true, Optional.of("+449")));
    }

    @Test
    void withoutPrefixesNothingIsInternationalOrPremium() {
        assertThat(NumberPlan.NONE.classify("+449012345678"))
                .isEqualTo(new NumberPlan.Classification(false, Optional.empty()));
    }

    @Test
    void refusesPrefixesThatAreNotDigits() {
        assertThatThrownBy(() -> new NumberPlan(Optional.empty(), "0", List.of("+", "0x"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("international prefix '0x' must be 1 to 16 digits");
        assertThatThrownBy(() -> new NumberPlan(Optional.empty(), "0", List.of(), List.of("+")))
                .hasMessage("premium-rate prefix '+' must be 1 to 16 digits, optionally after a +");
        assertThatThrownBy(() -> new NumberPlan(Optional.of("+34"), "0", List.of(), List.of()))
                .hasMessage("country code '+34' must be 1 to 16 digits");
    }
}

package org.pasarela.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SipReasonsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "100|Trying", "180|Ringing", "183|Session Progress", "200|OK", "401|Unauthorized",
            "407|Proxy Authentication Required", "481|Call/Transaction Does Not Exist", "486|Busy Here",
            "487|Request Terminated", "488|Not Acceptable Here", "501|Not Implemented", "503|Service Unavailable",
            "603|Decline"})
    void givesTheRfcPhraseForKnownCodes(int code, String phrase) {
        assertThat(SipReasons.reasonPhrase(code)).isEqualTo(phrase);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"199|Early Dialog Terminated", "299|Successful", "499|Request Failure",
            "599|Server Failure", "699|Global Failure"})
    void fallsBackToTheClassNameForUnregisteredCodes(int code, String phrase) {
        assertThat(SipReasons.reasonPhrase(code)).isEqualTo(phrase);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 99, 700, -1})
    void rejectsCodesOutsideTheSipRange(int code) {
        assertThatThrownBy(() -> SipReasons.reasonPhrase(code))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("status code " + code + " is outside 100..699");
    }

    @ParameterizedTest
    @CsvSource({"404,true", "413,true", "480,true", "486,true", "500,true", "503,true", "600,true", "603,true",
            "200,false", "302,false", "408,false", "488,false", "502,false", "604,false"})
    void allowsRetryAfterOnlyOnTheResponsesRfc3261Names(int code, boolean allowed) {
        assertThat(SipReasons.allowsRetryAfter(code)).isEqualTo(allowed);
    }
}

package org.pasarela.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesFromTwoSecondsAndStopsAtFiveMinutes() {
        assertThat(Backoff.transientDelay(1, 0.999999)).isEqualTo(Duration.ofSeconds(2));
        assertThat(Backoff.transientDelay(2, 0.999999)).isEqualTo(Duration.ofSeconds(4));
        assertThat(Backoff.transientDelay(9, 0.999999)).isEqualTo(Duration.ofMinutes(5));
        assertThat(Backoff.transientDelay(1000, 0.999999)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void jitterKeepsEveryDelayBetweenHalfAndAllOfItsNominalValue() {
        assertThat(Backoff.transientDelay(3, 0)).isEqualTo(Duration.ofSeconds(4));
        assertThat(Backoff.transientDelay(3, 0.5)).isEqualTo(Duration.ofSeconds(6));
        assertThat(Backoff.permanentDelay(0)).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> Backoff.transientDelay(1, 1.0)).hasMessageContaining("not in [0, 1)");
        assertThatThrownBy(() -> Backoff.transientDelay(0, 0.1)).hasMessageContaining("at least 1");
    }

    @Test
    void refreshesAtHalfTheLifetimeOrSixtySecondsBeforeExpiryWhicheverIsLater() {
        assertThat(Backoff.refreshAfter(10)).isEqualTo(Duration.ofSeconds(5));
        assertThat(Backoff.refreshAfter(120)).isEqualTo(Duration.ofSeconds(60));
        assertThat(Backoff.refreshAfter(600)).isEqualTo(Duration.ofSeconds(540));
        assertThat(Backoff.refreshAfter(3600)).isEqualTo(Duration.ofSeconds(3540));
        assertThatThrownBy(() -> Backoff.refreshAfter(0)).hasMessageContaining("positive");
    }
}

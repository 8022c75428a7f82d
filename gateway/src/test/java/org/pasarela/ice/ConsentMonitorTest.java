package org.pasarela.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ConsentMonitorTest {
    private static final long S = 1_000_000_000L;

    @Test
    void expiresThirtySecondsAfterTheLastRefresh() {
        ConsentMonitor consent = new ConsentMonitor(ConsentMonitor.DEFAULT_TIMEOUT, 0);
        consent.refreshed(10 * S);

        assertThat(consent.expired(40 * S - 1)).isFalse();
        assertThat(consent.remaining(39 * S)).isEqualTo(Duration.ofSeconds(1));
        assertThat(consent.expired(40 * S)).isTrue();
        assertThat(consent.remaining(41 * S)).isEqualTo(Duration.ZERO);
    }

    @Test
    void expiresWhenNoCheckEverArrives() {
        ConsentMonitor consent = new ConsentMonitor(Duration.ofSeconds(5), 100 * S);
        assertThat(consent.expired(104 * S)).isFalse();
        assertThat(consent.expired(105 * S)).isTrue();
    }

    @Test
    void ignoresARefreshOlderThanTheLatest() {
        ConsentMonitor consent = new ConsentMonitor(Duration.ofSeconds(30), 0);
        consent.refreshed(20 * S);
        consent.refreshed(5 * S);
        assertThat(consent.lastRefreshNanos()).isEqualTo(20 * S);
    }

    @Test
    void survivesNanoTimeWrapAround() {
        long start = Long.MAX_VALUE - 5 * S;
        ConsentMonitor consent = new ConsentMonitor(Duration.ofSeconds(30), start);
        consent.refreshed(start + 10 * S); // wraps to a negative long
        assertThat(consent.expired(start + 39 * S)).isFalse();
        assertThat(consent.expired(start + 40 * S)).isTrue();
    }

    @Test
    void refusesANonPositiveTimeout() {
        assertThatThrownBy(() -> new ConsentMonitor(Duration.ZERO, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("consent timeout must be positive, got PT0S");
    }
}

package org.pasarela.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WarningThrottleTest {
    private static final long S = 1_000_000_000L;
    private static final long T0 = -7 * S; // nanoTime may be negative

    @Test
    void warnsAtOnceThenHoldsBackUntilTheIntervalHasPassedAndCountsWhatItHeld() {
        WarningThrottle throttle = new WarningThrottle(Duration.ofSeconds(10));
        assertThat(throttle.warning("call c1: saturated", T0)).isEqualTo("call c1: saturated");
        assertThat(throttle.warning("call c2: saturated", T0 + S)).isNull();
        assertThat(throttle.warning("call c3: saturated", T0 + 9 * S)).isNull();
        assertThat(throttle.warning("call c4: saturated", T0 + 10 * S))
                .isEqualTo("call c4: saturated (and 2 more like it since the last warning, logged at DEBUG)");
        assertThat(throttle.warning("call c5: saturated", T0 + 25 * S)).as("nothing held back since")
                .isEqualTo("call c5: saturated");
    }
}

package org.pasarela.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pasarela.flood.FloodLimits;

class SipFloodConfigTest {
    @TempDir
    Path tmp;

    private ConfigFixture fx() {
        return new ConfigFixture(tmp);
    }

    @Test
    void defaultsAreTwentyRequestsPerSecondAndTenMinuteBans() {
        assertThat(fx().load().security().sipFlood()).isEqualTo(new FloodLimits(20, Duration.ofMinutes(10)))
                .isEqualTo(FloodLimits.DEFAULT);
    }

    @Test
    void readsTheRateAndBanTimeAndZeroSwitchesTheLimitOff() {
        FloodLimits limits = fx().load("sip.max-requests-per-second-per-address=5", "sip.scanner-ban-time=30s")
                .security().sipFlood();
        assertThat(limits).isEqualTo(new FloodLimits(5, Duration.ofSeconds(30)));
        assertThat(fx().load("sip.max-requests-per-second-per-address=0").security().sipFlood().enabled()).isFalse();
    }

    @Test
    void refusesRatesAndBanTimesOutsideTheirRangeNamingTheKey() {
        assertThatThrownBy(() -> fx().load("sip.max-requests-per-second-per-address=-1"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sip.max-requests-per-second-per-address = '-1'")
                .hasMessageContaining("or 0 for no limit");
        assertThatThrownBy(() -> fx().load("sip.max-requests-per-second-per-address=lots"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'lots'");
        assertThatThrownBy(() -> fx().load("sip.scanner-ban-time=forever"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sip.scanner-ban-time = 'forever'");
    }
}

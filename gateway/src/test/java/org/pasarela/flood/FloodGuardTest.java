package org.pasarela.flood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pasarela.flood.FloodGuard.Verdict.ADMITTED;
import static org.pasarela.flood.FloodGuard.Verdict.BANNED;
import static org.pasarela.flood.FloodGuard.Verdict.DROPPED;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FloodGuardTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final String SCANNER = "192.0.2.66";
    private final FloodGuard guard = new FloodGuard(new FloodLimits(5, Duration.ofSeconds(60)));

    private List<FloodGuard.Verdict> burst(String source, int count, Instant at) {
        List<FloodGuard.Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            verdicts.add(guard.admit(source, at));
        }
        return verdicts;
    }

    @Test
    void admitsABurstAsLargeAsTheLimitThenBansOnTheNextRequestAndDropsTheRest() {
        assertThat(burst(SCANNER, 8, T0)).containsExactly(ADMITTED, ADMITTED, ADMITTED, ADMITTED, ADMITTED,
                BANNED, DROPPED, DROPPED);
        assertThat(guard.banned(SCANNER, T0)).isTrue();
    }

    @Test
    void aSourceAtTheLimitRateIsNeverBanned() {
        // 5 per second, evenly spread, for a minute: a registrar or trunk at its normal pace.
        for (int i = 0; i < 300; i++) {
            assertThat(guard.admit(SCANNER, T0.plusMillis(200L * i))).as("request %d", i).isEqualTo(ADMITTED);
        }
    }

    @Test
    void theBucketRefillsWithTimeSoBurstsSpacedOutAreAdmitted() {
        assertThat(burst(SCANNER, 5, T0)).containsOnly(ADMITTED);
        assertThat(burst(SCANNER, 2, T0.plusMillis(400))).containsExactly(ADMITTED, ADMITTED);
        assertThat(guard.admit(SCANNER, T0.plusMillis(400))).isEqualTo(BANNED);
    }

    @Test
    void theBanLastsTheBanTimeAndRequestsDuringItDoNotLengthenIt() {
        burst(SCANNER, 6, T0);
        assertThat(guard.admit(SCANNER, T0.plusSeconds(59))).isEqualTo(DROPPED);
        assertThat(guard.banned(SCANNER, T0.plusSeconds(59))).isTrue();
        assertThat(guard.banned(SCANNER, T0.plusSeconds(60))).isFalse();
        assertThat(burst(SCANNER, 5, T0.plusSeconds(60))).as("a full bucket after the ban").containsOnly(ADMITTED);
    }

    @Test
    void aSecondFloodAfterTheBanBansAgainAndIsReportedAgain() {
        burst(SCANNER, 6, T0);
        assertThat(burst(SCANNER, 7, T0.plusSeconds(61))).containsExactly(ADMITTED, ADMITTED, ADMITTED, ADMITTED,
                ADMITTED, BANNED, DROPPED);
    }

    @Test
    void anotherAddressIsUnaffectedByABan() {
        burst(SCANNER, 6, T0);
        assertThat(burst("192.0.2.10", 5, T0)).containsOnly(ADMITTED);
        assertThat(guard.banned("192.0.2.10", T0)).isFalse();
    }

    @Test
    void aClockSteppingBackRefillsNothing() {
        burst(SCANNER, 5, T0);
        assertThat(guard.admit(SCANNER, T0.minusSeconds(30))).isEqualTo(BANNED);
    }

    @Test
    void offAdmitsEverything() {
        FloodGuard off = new FloodGuard(FloodLimits.OFF);
        for (int i = 0; i < 100_000; i++) {
            assertThat(off.admit(SCANNER, T0)).isEqualTo(ADMITTED);
        }
        assertThat(off.tracked()).isZero();
    }

    @Test
    void remembersAtMostMaxTrackedAddressesAndKeepsBansWhenFull() {
        burst(SCANNER, 6, T0);
        for (int i = 0; i < FloodGuard.MAX_TRACKED + 500; i++) {
            guard.admit("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255), T0.plusSeconds(1));
        }
        assertThat(guard.tracked()).isLessThanOrEqualTo(FloodGuard.MAX_TRACKED);
        assertThat(guard.banned(SCANNER, T0.plusSeconds(2))).as("bans are kept while unbanned sources can go").isTrue();
    }

    @Test
    void limitsOutsideTheirRangeAreRefusedWithTheBadValue() {
        assertThatThrownBy(() -> new FloodLimits(-1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> new FloodLimits(FloodLimits.MAX_PER_SECOND + 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10001");
        assertThatThrownBy(() -> new FloodLimits(5, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    }
}

package org.pasarela.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final RemoteAddress MALLORY = new RemoteAddress("192.0.2.66", 40000);
    private static final RemoteAddress ALICE_HOME = new RemoteAddress("198.51.100.7", 50000);
    private final LoginThrottle throttle = new LoginThrottle(LoginLimits.DEFAULT);

    @Test
    void bansTheAddressAtTheFifthFailureWithinFiveMinutes() {
        for (int i = 0; i < 4; i++) {
            assertThat(throttle.failed("user" + i, MALLORY, T0.plusSeconds(i * 60))).isEmpty();
        }
        assertThat(throttle.failed("user4", MALLORY, T0.plusSeconds(240)))
                .containsExactly(new LoginThrottle.Ban(LoginThrottle.Subject.ADDRESS, "192.0.2.66",
                        T0.plusSeconds(240).plus(Duration.ofMinutes(10))));
        assertThat(throttle.banFor("anyone", MALLORY, T0.plusSeconds(300))).isPresent();
    }

    @Test
    void anotherAddressIsNotAffectedByABan() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("u" + i, MALLORY, T0);
        }
        assertThat(throttle.banFor("alice", ALICE_HOME, T0)).isEmpty();
    }

    @Test
    void theSameAddressOnAnotherPortIsStillBanned() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("u" + i, MALLORY, T0);
        }
        assertThat(throttle.banFor("x", new RemoteAddress("192.0.2.66", 1), T0)).isPresent();
    }

    @Test
    void bansTheUserNameWhateverTheAddresses() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("alice", new RemoteAddress("203.0.113." + i, 1000), T0.plusSeconds(i));
        }
        LoginThrottle.Ban ban = throttle.banFor("alice", ALICE_HOME, T0.plusSeconds(10)).orElseThrow();
        assertThat(ban.subject()).isEqualTo(LoginThrottle.Subject.USER);
        assertThat(ban.secondsLeft(T0.plusSeconds(10))).isEqualTo(594);
        assertThat(throttle.banFor("bob", ALICE_HOME, T0.plusSeconds(10))).isEmpty();
    }

    @Test
    void failuresOlderThanTheWindowDoNotCount() {
        for (int i = 0; i < 4; i++) {
            throttle.failed(null, MALLORY, T0);
        }
        assertThat(throttle.failed(null, MALLORY, T0.plus(Duration.ofMinutes(5)))).isEmpty();
        assertThat(throttle.banFor(null, MALLORY, T0.plus(Duration.ofMinutes(5)))).isEmpty();
    }

    @Test
    void theBanEndsAfterTheBanTimeAndCountingStartsAfresh() {
        for (int i = 0; i < 5; i++) {
            throttle.failed(null, MALLORY, T0);
        }
        Instant after = T0.plus(Duration.ofMinutes(10));
        assertThat(throttle.banFor(null, MALLORY, after.minusMillis(1))).isPresent();
        assertThat(throttle.banFor(null, MALLORY, after)).isEmpty();
        assertThat(throttle.failed(null, MALLORY, after)).isEmpty();
    }

    @Test
    void failuresDuringABanDoNotStretchIt() {
        for (int i = 0; i < 5; i++) {
            throttle.failed(null, MALLORY, T0);
        }
        for (int i = 0; i < 20; i++) {
            assertThat(throttle.failed(null, MALLORY, T0.plusSeconds(60))).isEmpty();
        }
        assertThat(throttle.banFor(null, MALLORY, T0.plusSeconds(600))).isEmpty();
    }

    @Test
    void aGoodLoginForgivesTheUserButNotTheAddress() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("alice", MALLORY, T0);
        }
        throttle.succeeded("alice");
        assertThat(throttle.failed("alice", MALLORY, T0))
                .extracting(LoginThrottle.Ban::subject).containsExactly(LoginThrottle.Subject.ADDRESS);
    }

    @Test
    void secondsLeftRoundUpAndNeverSayZero() {
        LoginThrottle.Ban ban = new LoginThrottle.Ban(LoginThrottle.Subject.ADDRESS, "x", T0.plusMillis(1500));
        assertThat(ban.secondsLeft(T0)).isEqualTo(2);
        assertThat(ban.secondsLeft(T0.plusMillis(1499))).isEqualTo(1);
    }

    @Test
    void remembersABoundedNumberOfNamesWhenSprayedWithThem() {
        for (int i = 0; i < LoginThrottle.MAX_TRACKED + 500; i++) {
            throttle.failed("spray" + i, MALLORY, T0);
        }
        assertThat(throttle.tracked()).isLessThanOrEqualTo(LoginThrottle.MAX_TRACKED + 1);
        assertThat(throttle.banFor(null, MALLORY, T0)).isPresent();
    }
}

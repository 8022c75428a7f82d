package org.pasarela.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CallLimiterTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private final CallLimiter limiter = new CallLimiter();

    @Test
    void refusesTheCallBeyondTheConcurrentLimitUntilOneIsReleased() {
        CallLimiter.Permit first = (CallLimiter.Permit) limiter.acquire("alice", 2, 0, T0);
        limiter.acquire("alice", 2, 0, T0);
        assertThat(limiter.acquire("alice", 2, 0, T0))
                .isEqualTo(new CallLimiter.Exceeded("2 calls already in progress (limit 2)"));
        assertThat(limiter.acquire("bob", 2, 0, T0)).isInstanceOf(CallLimiter.Permit.class);
        first.release();
        assertThat(limiter.acquire("alice", 2, 0, T0)).isInstanceOf(CallLimiter.Permit.class);
    }

    @Test
    void releasingAPermitTwiceFreesOneSlot() {
        CallLimiter.Permit first = (CallLimiter.Permit) limiter.acquire("alice", 2, 0, T0);
        limiter.acquire("alice", 2, 0, T0);
        first.release();
        first.release();
        assertThat(limiter.active("alice")).isEqualTo(1);
    }

    @Test
    void refusesTheCallOverThePerMinuteLimitUntilTheOldestLeavesTheWindow() {
        for (int i = 0; i < 3; i++) {
            ((CallLimiter.Permit) limiter.acquire("alice", 0, 3, T0.plusSeconds(i * 10))).release();
        }
        assertThat(limiter.acquire("alice", 0, 3, T0.plusSeconds(59)))
                .isEqualTo(new CallLimiter.Exceeded("more than 3 calls in the last minute"));
        assertThat(limiter.acquire("alice", 0, 3, T0.plusSeconds(60))).isInstanceOf(CallLimiter.Permit.class);
        assertThat(limiter.acquire("alice", 0, 3, T0.plusSeconds(61)))
                .isEqualTo(new CallLimiter.Exceeded("more than 3 calls in the last minute"));
    }

    @Test
    void refusedCallsDoNotCountTowardThePerMinuteLimit() {
        limiter.acquire("alice", 1, 2, T0);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.acquire("alice", 1, 2, T0)).isInstanceOf(CallLimiter.Exceeded.class);
        }
        assertThat(limiter.acquire("alice", 0, 2, T0)).isInstanceOf(CallLimiter.Permit.class);
    }

    @Test
    void zeroMeansNoLimit() {
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.acquire("alice", 0, 0, T0)).isInstanceOf(CallLimiter.Permit.class);
        }
        assertThat(limiter.active("alice")).isEqualTo(1000);
    }

    @Test
    void forgetsUsersWithNoCallUpAndNoneInTheLastMinute() {
        for (int i = 0; i < CallLimiter.SWEEP_ABOVE + 10; i++) {
            limiter.acquire("user" + i, 0, 5, T0);
        }
        assertThat(limiter.tracked()).isEqualTo(CallLimiter.SWEEP_ABOVE + 10);
        ((CallLimiter.Permit) limiter.acquire("alice", 0, 5, T0)).release();
        limiter.acquire("late", 0, 5, T0.plus(Duration.ofMinutes(2)));
        // alice's call ended over a minute ago: forgotten; every other call is still up: kept
        assertThat(limiter.tracked()).isEqualTo(CallLimiter.SWEEP_ABOVE + 11);

        CallLimiter idle = new CallLimiter();
        for (int i = 0; i < CallLimiter.SWEEP_ABOVE + 10; i++) {
            ((CallLimiter.Permit) idle.acquire("user" + i, 0, 5, T0)).release();
        }
        idle.acquire("late", 0, 5, T0.plus(Duration.ofMinutes(2)));
        assertThat(idle.tracked()).isEqualTo(1);
    }

    @Test
    void sessionsOnManyThreadsNeverExceedTheConcurrentLimit() throws Exception {
        ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return limiter.acquire("alice", 5, 0, T0) instanceof CallLimiter.Permit;
                }));
            }
            start.countDown();
            int admitted = 0;
            for (Future<Boolean> result : results) {
                admitted += result.get(5, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(admitted).isEqualTo(5);
            assertThat(limiter.active("alice")).isEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
    }
}

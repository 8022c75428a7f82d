package org.pasarela.transport.rtp;

import java.util.concurrent.TimeUnit;

/**
 * How busy one media loop is: the share of wall time it spent working rather than asleep in {@code epoll_wait},
 * per whole second. A loop that keeps up sleeps between packets; a loop that no longer keeps up, because its calls
 * need more than a core or the machine gives it less, finds packets waiting every time it looks and never sleeps,
 * which reads 100 %. Time spent waiting for a CPU after a wake-up counts as idle (the loop only waits, and keeps up
 * as long as it goes on sleeping); time it waits for a CPU in the middle of its work counts as busy.
 *
 * <p>One second is a noisy reading on a shared machine: the benchmark saw a loop read 60 % and 94 % three seconds
 * apart with the same calls. Decisions use {@link #peakPercent()}, the busiest of the last {@link #PEAK_WINDOWS}
 * seconds, so that a call is admitted only after a few calm seconds, not in the dip between two busy ones.
 *
 * <p>Written by the loop thread only ({@link #idle}, {@link #roll}); the readings may be read by any thread.
 */
final class BusyMeter {
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final int PEAK_WINDOWS = 3;

    private final int[] recent = new int[PEAK_WINDOWS];
    private int next;
    private long windowStart;
    private long idleNanos;
    private volatile int percent;
    private volatile int peak;

    BusyMeter(long nowNanos) {
        this.windowStart = nowNanos;
    }

    /** The loop slept this long in one wait for packets. */
    void idle(long nanos) {
        if (nanos > 0) {
            idleNanos += nanos;
        }
    }

    /** Closes the window once a whole one has passed: the readings then include it. */
    void roll(long nowNanos) {
        long elapsed = nowNanos - windowStart;
        if (elapsed < WINDOW_NANOS) {
            return;
        }
        long busy = Math.max(0, elapsed - idleNanos);
        int closed = (int) Math.min(100, busy * 100 / elapsed);
        recent[next] = closed;
        next = (next + 1) % PEAK_WINDOWS;
        int max = 0;
        for (int p : recent) {
            max = Math.max(max, p);
        }
        percent = closed;
        peak = max;
        windowStart = nowNanos;
        idleNanos = 0;
    }

    /** Percent of the last whole second spent working; 0 before the first second closes. */
    int percent() {
        return percent;
    }

    /** The busiest of the last {@link #PEAK_WINDOWS} whole seconds, in percent. */
    int peakPercent() {
        return peak;
    }
}

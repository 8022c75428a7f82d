package org.pasarela.transport.rtp;

import java.util.concurrent.TimeUnit;

/**
 * How busy one media loop is: the share of wall time it spent working rather than asleep in {@code epoll_wait},
 * over the last whole second. A loop that keeps up sleeps between packets; a loop that no longer keeps up, because
 * its calls need more than a core or the machine gives it less, finds packets waiting every time it looks and
 * never sleeps, which reads 100 %. Time spent runnable but waiting for a CPU while asleep counts as idle: a loop
 * that only waits for the CPU still keeps up, and once it stops keeping up it stops sleeping.
 *
 * <p>Written by the loop thread only ({@link #idle}, {@link #roll}); {@link #percent} may be read by any thread.
 */
final class BusyMeter {
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private long windowStart;
    private long idleNanos;
    private volatile int percent;

    BusyMeter(long nowNanos) {
        this.windowStart = nowNanos;
    }

    /** The loop slept this long in one wait for packets. */
    void idle(long nanos) {
        if (nanos > 0) {
            idleNanos += nanos;
        }
    }

    /** Closes the window once a whole one has passed: {@link #percent} then describes it. */
    void roll(long nowNanos) {
        long elapsed = nowNanos - windowStart;
        if (elapsed < WINDOW_NANOS) {
            return;
        }
        long busy = Math.max(0, elapsed - idleNanos);
        percent = (int) Math.min(100, busy * 100 / elapsed);
        windowStart = nowNanos;
        idleNanos = 0;
    }

    /** Percent of the last whole window spent working; 0 before the first window closes. */
    int percent() {
        return percent;
    }
}

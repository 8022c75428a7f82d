package org.pasarela.ice;

import java.time.Duration;

/**
 * Consent freshness for the selected pair (RFC 7675) as seen by an ICE-lite agent: the browser sends a connectivity
 * check every ~5 s (§5.1 randomises 4-6 s) and we answer it; if no authenticated check arrives for the consent
 * timeout (30 s, §5.1), consent has expired and the adapter ends the call (BYE on the SIP side).
 *
 * <p>Time is an input in monotonic nanoseconds (the edge reads the clock), compared by difference so
 * that wrap-around is harmless. Not thread-safe; owned by the call's lane.
 */
public final class ConsentMonitor {
    /** RFC 7675 §5.1: consent expires 30 seconds after the last authenticated response. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final long timeoutNanos;
    private long lastRefreshNanos;

    /** Starts the clock at {@code startNanos}: a browser that never sends a valid check also expires. */
    public ConsentMonitor(Duration timeout, long startNanos) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("consent timeout must be positive, got " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
        this.lastRefreshNanos = startNanos;
    }

    /** Records an authenticated check (or its successful response) at {@code nowNanos}. */
    public void refreshed(long nowNanos) {
        if (nowNanos - lastRefreshNanos > 0) {
            lastRefreshNanos = nowNanos;
        }
    }

    public boolean expired(long nowNanos) {
        return nowNanos - lastRefreshNanos >= timeoutNanos;
    }

    /** Time left before expiry, zero once expired: when the adapter's next timer should fire. */
    public Duration remaining(long nowNanos) {
        return Duration.ofNanos(Math.max(0, timeoutNanos - (nowNanos - lastRefreshNanos)));
    }

    public long lastRefreshNanos() {
        return lastRefreshNanos;
    }
}

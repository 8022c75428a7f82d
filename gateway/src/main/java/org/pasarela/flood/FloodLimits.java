package org.pasarela.flood;

import java.time.Duration;
import java.util.Objects;

/**
 * How fast one source address may send requests before it is taken for a scanner: a token bucket that holds
 * {@code maxPerSecond} requests and refills at {@code maxPerSecond} per second, so a source may send that many at
 * once and that many every second after; the request that finds the bucket empty bans its source for
 * {@code banTime}. {@code maxPerSecond} 0 switches the limit off ({@link #OFF}). Immutable.
 */
public record FloodLimits(int maxPerSecond, Duration banTime) {
    /** The shipped defaults ({@code sip.max-requests-per-second-per-address}, {@code sip.scanner-ban-time}). */
    public static final FloodLimits DEFAULT = new FloodLimits(20, Duration.ofMinutes(10));
    /** No limit: every request is admitted. */
    public static final FloodLimits OFF = new FloodLimits(0, Duration.ofSeconds(1));
    /** Upper bound of {@code maxPerSecond}; beyond it a limit protects nothing. */
    public static final int MAX_PER_SECOND = 10_000;

    public FloodLimits {
        Objects.requireNonNull(banTime, "banTime");
        if (maxPerSecond < 0 || maxPerSecond > MAX_PER_SECOND) {
            throw new IllegalArgumentException("maxPerSecond must be 0 (off) to " + MAX_PER_SECOND + ", got "
                    + maxPerSecond);
        }
        if (banTime.isZero() || banTime.isNegative()) {
            throw new IllegalArgumentException("banTime must be positive, got " + banTime);
        }
    }

    public boolean enabled() {
        return maxPerSecond > 0;
    }
}

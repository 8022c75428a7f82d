package org.pasarela.registration;

import java.time.Duration;

/**
 * When to try again and when to refresh. Pure; the random draw is an input so tests are deterministic.
 *
 * <ul>
 *   <li>Transient failures (408, 5xx, no response, transport errors): exponential backoff starting at 2 s and
 *       doubling up to 5 min, times a random factor in [0.5, 1) ("equal jitter": retries of many users that lost
 *       the same registrar spread out instead of arriving together when it comes back, and each delay is still at
 *       least half its nominal value).</li>
 *   <li>Permanent failures (403, 404, refused credentials, other 4xx, 3xx, 6xx): a fixed 10 min times the same
 *       factor, i.e. 5 to 10 min. A wrong password never heals by itself, but an operator may fix the account on
 *       the registrar; one request (plus one challenge answer) per 5-10 min per user is no storm and needs no
 *       gateway restart.</li>
 *   <li>Refresh: {@code granted - min(granted / 2, 60 s)}. Half the lifetime for short bindings; for long ones a
 *       60 s margin, more than a UDP transaction's 32 s Timer F plus the first 2 s retry, so one lost refresh
 *       still re-registers before the binding lapses, without refreshing a 3600 s binding every 30 min.</li>
 * </ul>
 */
public final class Backoff {
    public static final Duration FIRST_RETRY = Duration.ofSeconds(2);
    public static final Duration MAX_RETRY = Duration.ofMinutes(5);
    public static final Duration PERMANENT_RETRY = Duration.ofMinutes(10);
    /** Retry-After values beyond this are capped: a registrar must not park a user for a day. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);
    private static final Duration REFRESH_MARGIN = Duration.ofSeconds(60);

    private Backoff() {
    }

    /**
     * @param failures consecutive transient failures so far, 1 for the first
     * @param random   a draw in [0, 1)
     */
    public static Duration transientDelay(int failures, double random) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, got " + failures);
        }
        long nominal = FIRST_RETRY.toMillis() << Math.min(failures - 1, 20);
        return jitter(Math.min(nominal, MAX_RETRY.toMillis()), random);
    }

    public static Duration permanentDelay(double random) {
        return jitter(PERMANENT_RETRY.toMillis(), random);
    }

    /** When to send the refresh of a binding granted for {@code grantedSeconds}. */
    public static Duration refreshAfter(int grantedSeconds) {
        if (grantedSeconds < 1) {
            throw new IllegalArgumentException("granted expiry must be positive, got " + grantedSeconds);
        }
        Duration granted = Duration.ofSeconds(grantedSeconds);
        Duration half = granted.dividedBy(2);
        return granted.minus(half.compareTo(REFRESH_MARGIN) < 0 ? half : REFRESH_MARGIN);
    }

    private static Duration jitter(long nominalMillis, double random) {
        if (!(random >= 0 && random < 1)) {
            throw new IllegalArgumentException("random draw " + random + " is not in [0, 1)");
        }
        return Duration.ofMillis(Math.round(nominalMillis * (0.5 + random / 2)));
    }
}

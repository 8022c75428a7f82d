package org.pasarela.flood;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Counts requests per source address with a token bucket ({@link FloodLimits}) and bans a source that empties
 * its bucket: while banned, every request from it is to be dropped without an answer, which is what makes
 * scanners such as svwar and svcrack give up. Only the request that starts a ban is {@link Verdict#BANNED}, so
 * the caller reports each ban once. Time is an input, so tests run in virtual time.
 *
 * <p>Memory is bounded: at most {@link #MAX_TRACKED} addresses are remembered; when full, sources whose bucket has
 * refilled and who are not banned go first, then the oldest unbanned, then the oldest ban. Thread-safe; each call holds the lock for a few map
 * operations and never calls out.
 */
public final class FloodGuard {
    static final int MAX_TRACKED = 10_000;

    /** What to do with one request. */
    public enum Verdict {
        /** Under the limit: handle it. */
        ADMITTED,
        /** This request emptied the bucket: drop it; its source is banned from now on (report it, once). */
        BANNED,
        /** The source is banned: drop it silently. */
        DROPPED;

        public boolean admitted() {
            return this == ADMITTED;
        }
    }

    private static final class Bucket {
        double tokens;
        Instant refilled;
        Instant bannedUntil = Instant.MIN;

        Bucket(double tokens, Instant now) {
            this.tokens = tokens;
            this.refilled = now;
        }
    }

    private final FloodLimits limits;
    private final Map<String, Bucket> sources = new LinkedHashMap<>();

    public FloodGuard(FloodLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public FloodLimits limits() {
        return limits;
    }

    /** Counts one request from {@code source} (an IP literal) at {@code now} and says what to do with it. */
    public synchronized Verdict admit(String source, Instant now) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(now, "now");
        if (!limits.enabled()) {
            return Verdict.ADMITTED;
        }
        Bucket bucket = sources.get(source);
        if (bucket == null) {
            makeRoom(now);
            bucket = new Bucket(limits.maxPerSecond(), now);
            sources.put(source, bucket);
        }
        if (bucket.bannedUntil.isAfter(now)) {
            return Verdict.DROPPED; // requests during a ban do not lengthen it
        }
        refill(bucket, now);
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return Verdict.ADMITTED;
        }
        bucket.bannedUntil = now.plus(limits.banTime());
        bucket.tokens = limits.maxPerSecond(); // a source whose ban is over starts afresh
        bucket.refilled = bucket.bannedUntil;
        return Verdict.BANNED;
    }

    /** Whether {@code source} is banned at {@code now}. */
    public synchronized boolean banned(String source, Instant now) {
        Bucket bucket = sources.get(source);
        return bucket != null && bucket.bannedUntil.isAfter(now);
    }

    /** Addresses remembered right now; for tests of the memory bound. */
    synchronized int tracked() {
        return sources.size();
    }

    private void refill(Bucket bucket, Instant now) {
        if (!now.isAfter(bucket.refilled)) {
            return; // a clock that steps back refills nothing
        }
        double seconds = Duration.between(bucket.refilled, now).toNanos() / 1e9;
        bucket.tokens = Math.min(limits.maxPerSecond(), bucket.tokens + seconds * limits.maxPerSecond());
        bucket.refilled = now;
    }

    private void makeRoom(Instant now) {
        if (sources.size() < MAX_TRACKED) {
            return;
        }
        sources.values().removeIf(b -> {
            if (b.bannedUntil.isAfter(now)) {
                return false;
            }
            refill(b, now);
            return b.tokens >= limits.maxPerSecond();
        });
        Iterator<Map.Entry<String, Bucket>> oldest = sources.entrySet().iterator();
        while (sources.size() >= MAX_TRACKED && oldest.hasNext()) {
            if (!oldest.next().getValue().bannedUntil.isAfter(now)) {
                oldest.remove();
            }
        }
        oldest = sources.entrySet().iterator();
        while (sources.size() >= MAX_TRACKED && oldest.hasNext()) {
            oldest.next();
            oldest.remove(); // only bans left: the oldest ban goes
        }
    }
}

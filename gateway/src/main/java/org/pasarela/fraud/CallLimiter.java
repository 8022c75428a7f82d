package org.pasarela.fraud;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts each user's calls in progress and calls started in the last minute, over all the user's sessions (which
 * live on different lanes): OpenSIPS fraud_detection's concurrent-calls and calls-per-minute thresholds. A call
 * holds a {@link Permit} from admission until it ends; releasing it frees the slot. Time is an input.
 *
 * <p>Thread-safe: each method holds the lock for a few map operations and never calls out. Memory is bounded by
 * the users with a call up or one started in the last minute: idle records are swept once there are many.
 */
public final class CallLimiter {
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int SWEEP_ABOVE = 1024;

    /** What {@link #acquire} gives: a permit, or the limit the call would break. */
    public sealed interface Outcome permits Permit, Exceeded {
    }

    /** One admitted call's slot. {@link #release()} is idempotent, so every end path may call it. */
    public static final class Permit implements Outcome {
        private final CallLimiter limiter;
        private final String user;
        private boolean released;

        private Permit(CallLimiter limiter, String user) {
            this.limiter = limiter;
            this.user = user;
        }

        public String user() {
            return user;
        }

        public void release() {
            limiter.release(this);
        }
    }

    /** The call would break a limit; {@code reason} is safe to show the user and to log. */
    public record Exceeded(String reason) implements Outcome {
    }

    private static final class Record {
        int active;
        final ArrayDeque<Instant> started = new ArrayDeque<>();

        boolean idle() {
            return active <= 0 && started.isEmpty();
        }
    }

    private final Map<String, Record> users = new HashMap<>();

    /**
     * Admits one call of {@code user} if it stays within both limits (0 = no limit), or says which one it breaks.
     * Only admitted calls count toward the per-minute limit.
     */
    public synchronized Outcome acquire(String user, int maxConcurrent, int maxPerMinute, Instant now) {
        if (users.size() >= SWEEP_ABOVE) {
            sweep(now);
        }
        Record record = users.computeIfAbsent(user, u -> new Record());
        expire(record, now);
        Exceeded exceeded = null;
        if (maxConcurrent > 0 && record.active >= maxConcurrent) {
            exceeded = new Exceeded(record.active + " call" + (record.active == 1 ? "" : "s")
                    + " already in progress (limit " + maxConcurrent + ")");
        } else if (maxPerMinute > 0 && record.started.size() >= maxPerMinute) {
            exceeded = new Exceeded("more than " + maxPerMinute + " call" + (maxPerMinute == 1 ? "" : "s")
                    + " in the last minute");
        }
        if (exceeded != null) {
            if (record.idle()) {
                users.remove(user);
            }
            return exceeded;
        }
        record.active++;
        record.started.addLast(now);
        return new Permit(this, user);
    }

    /** Calls of {@code user} in progress now. */
    public synchronized int active(String user) {
        Record record = users.get(user);
        return record == null ? 0 : record.active;
    }

    /** Users with a record; for tests of the memory bound. */
    synchronized int tracked() {
        return users.size();
    }

    private synchronized void release(Permit permit) {
        if (permit.released) {
            return;
        }
        permit.released = true;
        Record record = users.get(permit.user);
        if (record != null) {
            record.active--;
            if (record.idle()) {
                users.remove(permit.user);
            }
        }
    }

    private static void expire(Record record, Instant now) {
        Instant windowStart = now.minus(WINDOW);
        while (!record.started.isEmpty() && !record.started.peekFirst().isAfter(windowStart)) {
            record.started.pollFirst();
        }
    }

    private void sweep(Instant now) {
        users.values().removeIf(record -> {
            expire(record, now);
            return record.idle();
        });
    }
}

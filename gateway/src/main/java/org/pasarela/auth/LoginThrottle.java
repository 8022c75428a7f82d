package org.pasarela.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Counts failed logins per user name and per source address and bans either once it fails too often
 * ({@link LoginLimits}). A ban refuses logins before any credential is checked, so a banned source costs no hash.
 * Time is an input, so tests run in virtual time.
 *
 * <p>Memory is bounded: at most {@link #MAX_TRACKED} user names and as many addresses are remembered; when full,
 * expired records go first, then the oldest. Thread-safe (sessions on every lane share one throttle); each method
 * holds the lock for a few map operations and never calls out.
 */
public final class LoginThrottle {
    static final int MAX_TRACKED = 10_000;

    /** What a ban applies to. */
    public enum Subject { USER, ADDRESS }

    /** A ban on one user name or one address, until {@code until}. */
    public record Ban(Subject subject, String key, Instant until) {
        /** Whole seconds left, rounded up, at least 1: what the client is told to wait. */
        public long secondsLeft(Instant now) {
            long millis = Duration.between(now, until).toMillis();
            return Math.max(1, (millis + 999) / 1000);
        }
    }

    private static final class Record {
        final ArrayDeque<Instant> failures = new ArrayDeque<>();
        Instant bannedUntil = Instant.MIN;
    }

    private final LoginLimits limits;
    private final Map<String, Record> users = new LinkedHashMap<>();
    private final Map<String, Record> addresses = new LinkedHashMap<>();

    public LoginThrottle(LoginLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public LoginLimits limits() {
        return limits;
    }

    /** The ban that keeps this attempt out (the one lasting longest), if any. {@code user} may be null. */
    public synchronized Optional<Ban> banFor(String user, RemoteAddress address, Instant now) {
        Ban ban = null;
        Record byAddress = addresses.get(address.ip());
        if (byAddress != null && byAddress.bannedUntil.isAfter(now)) {
            ban = new Ban(Subject.ADDRESS, address.ip(), byAddress.bannedUntil);
        }
        Record byUser = user == null ? null : users.get(user);
        if (byUser != null && byUser.bannedUntil.isAfter(now) && (ban == null || byUser.bannedUntil.isAfter(ban.until))) {
            ban = new Ban(Subject.USER, user, byUser.bannedUntil);
        }
        return Optional.ofNullable(ban);
    }

    /** Records one failed login; returns the bans it started (none, one or both). {@code user} may be null. */
    public synchronized List<Ban> failed(String user, RemoteAddress address, Instant now) {
        List<Ban> started = new ArrayList<>(2);
        count(addresses, address.ip(), Subject.ADDRESS, now, started);
        if (user != null) {
            count(users, user, Subject.USER, now, started);
        }
        return started;
    }

    /** A good login forgives the user name's earlier failures (not the address's: one valid account must not
     *  let a guesser reset its address's count). */
    public synchronized void succeeded(String user) {
        users.remove(user);
    }

    /** Records held right now, users plus addresses; for tests of the memory bound. */
    synchronized int tracked() {
        return users.size() + addresses.size();
    }

    private void count(Map<String, Record> records, String key, Subject subject, Instant now, List<Ban> started) {
        Record record = records.get(key);
        if (record == null) {
            makeRoom(records, now);
            record = new Record();
            records.put(key, record);
        }
        if (record.bannedUntil.isAfter(now)) {
            return; // already banned; failures while banned do not stretch the ban
        }
        Instant windowStart = now.minus(limits.failureWindow());
        while (!record.failures.isEmpty() && !record.failures.peekFirst().isAfter(windowStart)) {
            record.failures.pollFirst();
        }
        record.failures.addLast(now);
        if (record.failures.size() >= limits.maxFailures()) {
            record.failures.clear();
            record.bannedUntil = now.plus(limits.banTime());
            started.add(new Ban(subject, key, record.bannedUntil));
        }
    }

    private void makeRoom(Map<String, Record> records, Instant now) {
        if (records.size() < MAX_TRACKED) {
            return;
        }
        Instant windowStart = now.minus(limits.failureWindow());
        records.values().removeIf(r -> !r.bannedUntil.isAfter(now)
                && (r.failures.isEmpty() || !r.failures.peekLast().isAfter(windowStart)));
        Iterator<Map.Entry<String, Record>> oldest = records.entrySet().iterator();
        while (records.size() >= MAX_TRACKED && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }
}

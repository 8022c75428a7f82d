package org.pasarela.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.pasarela.config.HistoryConfig;
import org.pasarela.history.CallHistory;
import org.pasarela.history.CallRecord;
import org.pasarela.history.Direction;
import org.pasarela.history.HangupParty;
import org.pasarela.history.HistoryException;
import org.pasarela.lane.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call history as the running gateway uses it: the blocking {@link CallHistory} behind one thread of its own,
 * so lanes hand it writes and queries and never wait on the database. Writes run in the order they were handed
 * in; a failed write is logged and the call goes on. Thread-safe.
 */
final class HistoryService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HistoryService.class);

    private final CallHistory store;
    private final ExecutorService thread;
    private final Clock clock;
    private final ScheduledFuture<?> retention;

    private HistoryService(CallHistory store, ExecutorService thread, Clock clock, ScheduledFuture<?> retention) {
        this.store = store;
        this.thread = thread;
        this.clock = clock;
        this.retention = retention;
    }

    /**
     * Opens and migrates the store, ends the calls a previous run left open, and applies the retention now and
     * once a day.
     *
     * @throws HistoryException naming the JDBC URL when the store cannot be opened
     */
    static HistoryService start(HistoryConfig config, Clock clock, ScheduledExecutorService scheduler) {
        CallHistory store = CallHistory.open(config.jdbcUrl(), config.username().orElse(null),
                config.password().orElse(null));
        try {
            int closed = store.closeOpenRecords(clock.instant());
            if (closed > 0) {
                log.info("call history: {} call(s) left open by the previous run ended as '{}'", closed,
                        CallHistory.RESTART_REASON);
            }
        } catch (HistoryException e) {
            store.close();
            throw e;
        }
        ExecutorService thread = Executors.newSingleThreadExecutor(DaemonThreads.named("history"));
        ScheduledFuture<?> retention = null;
        if (!config.retention().isZero()) {
            Duration keep = config.retention();
            retention = scheduler.scheduleAtFixedRate(() -> thread.execute(() -> prune(store, clock, keep)),
                    0, 1, TimeUnit.DAYS);
        }
        return new HistoryService(store, thread, clock, retention);
    }

    void started(String callId, String user, Direction direction, String peer, String profile, Instant at) {
        write("start of call " + callId, () -> store.recordStarted(callId, user, direction, peer, profile, at));
    }

    void answered(String callId, Instant at) {
        write("answer of call " + callId, () -> store.recordAnswered(callId, at));
    }

    void ended(String callId, Instant at, int code, String reason, HangupParty by) {
        write("end of call " + callId, () -> store.recordEnded(callId, at, code, reason, by));
    }

    /** The user's calls, newest first; fails with {@link HistoryException} (or its cursor subclass). */
    CompletableFuture<List<CallRecord>> list(String user, int limit, String before) {
        return read(() -> store.list(user, limit, before));
    }

    /** The user's missed calls not reported yet, now marked reported. */
    CompletableFuture<List<CallRecord>> takeMissed(String user) {
        return read(() -> store.takeUnreportedMissed(user));
    }

    /** Lets queued writes finish (bounded), ends calls still open, and closes the store. */
    @Override
    public void close() {
        if (retention != null) {
            retention.cancel(false);
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("call history: writes still queued after 5 s; the next start ends their calls");
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            store.closeOpenRecords(clock.instant());
        } catch (HistoryException e) {
            log.warn("call history: {}", e.getMessage());
        }
        store.close();
    }

    private void write(String what, Runnable work) {
        try {
            thread.execute(() -> {
                try {
                    work.run();
                } catch (HistoryException e) {
                    log.warn("call history: cannot record the {}: {}", what, e.getMessage());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            log.debug("call history: stopping, the {} is not recorded", what);
        }
    }

    private <T> CompletableFuture<T> read(Supplier<T> query) {
        try {
            return CompletableFuture.supplyAsync(query, thread);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            return CompletableFuture.failedFuture(new HistoryException("the gateway is stopping"));
        }
    }

    private static void prune(CallHistory store, Clock clock, Duration keep) {
        try {
            int deleted = store.deleteEndedBefore(clock.instant().minus(keep));
            if (deleted > 0) {
                log.info("call history: deleted {} call(s) older than {} days", deleted, keep.toDays());
            }
        } catch (HistoryException e) {
            log.warn("call history: retention: {}", e.getMessage());
        }
    }
}

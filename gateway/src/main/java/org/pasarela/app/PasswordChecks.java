package org.pasarela.app;

import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.pasarela.auth.Authenticator;
import org.pasarela.auth.LoginResult;
import org.pasarela.call.CallAction.CheckPassword;
import org.pasarela.lane.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where password logins are checked: a small bounded pool of its own, so that bcrypt's deliberate slowness (about
 * 250 ms per check at cost 10) never holds a session lane, whose few threads every session shares. The whole
 * {@link Authenticator#withPassword} runs here (ban check first, hash, throttle and security events), so its
 * semantics are the same as when it ran on the lane; only the thread differs. The outcome is handed to the
 * caller's callback, which posts it back onto the session's lane.
 *
 * <p>Thread-safe. A full queue refuses at once instead of queueing without bound: a login burst larger than the
 * queue gets 503s, not minutes of waiting and unbounded memory.
 */
final class PasswordChecks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PasswordChecks.class);
    /** bcrypt is CPU-bound: more threads than this on a small box only slow every check down. */
    static final int THREADS = 2;
    /** Logins waiting for a thread; at 250 ms a check, the last one waits about 16 s. */
    static final int QUEUE = 128;

    private final Authenticator authenticator;
    private final Clock clock;
    private final ThreadPoolExecutor pool;

    PasswordChecks(Authenticator authenticator, Clock clock) {
        this(authenticator, clock, THREADS, QUEUE);
    }

    PasswordChecks(Authenticator authenticator, Clock clock, int threads, int queue) {
        this.authenticator = authenticator;
        this.clock = clock;
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queue), DaemonThreads.named("password-check"),
                new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Checks {@code request} on the pool and hands the outcome to {@code done}, or, when the pool is full or shut
     * down, hands {@code unavailable} a reason the client may see, at once on the calling thread.
     */
    void check(CheckPassword request, Consumer<LoginResult> done, Consumer<String> unavailable) {
        try {
            pool.execute(() -> done.accept(authenticator.withPassword(request.user(), request.password(),
                    request.session(), request.from(), clock.instant())));
        } catch (RejectedExecutionException e) {
            log.warn("session {}: password check refused: {} logins already waiting", request.session(),
                    pool.getQueue().size());
            unavailable.accept("too many logins at once; try again in a few seconds");
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}

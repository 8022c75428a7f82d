package org.pasarela.app;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.pasarela.auth.SecurityEvent;
import org.pasarela.auth.SecurityEvents;
import org.pasarela.call.Session;
import org.pasarela.lane.Lane;
import org.pasarela.transport.ws.BrowserLink;

/**
 * Closes browser sessions that have not logged in within {@code auth.login-timeout}: an open, unauthenticated
 * WebSocket costs a socket and a session and proves nothing, so scanners and stalled clients must not keep one.
 * The close uses status 1008 (policy violation, RFC 6455 §7.4.1) and is reported as a {@code LoginTimeout}
 * security event. Thread-safe: the timer fires on the scheduler and looks at the session on its own lane.
 */
final class LoginDeadline {
    /** WebSocket status 1008: the endpoint received a message that violates its policy. */
    static final int POLICY_VIOLATION = 1008;

    private final ScheduledExecutorService scheduler;
    private final Duration timeout;
    private final SecurityEvents events;
    private final Clock clock;

    LoginDeadline(ScheduledExecutorService scheduler, Duration timeout, SecurityEvents events, Clock clock) {
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.events = events;
        this.clock = clock;
    }

    /** Starts the deadline of a session that just opened; run the returned task when the session ends. */
    Runnable arm(String name, Session session, Lane lane, BrowserLink link) {
        ScheduledFuture<?> timer = scheduler.schedule(() -> lane.execute(() -> expire(name, session, link)),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        return () -> timer.cancel(false);
    }

    /** On the session's lane, so the login state it reads is the lane's own. */
    private void expire(String name, Session session, BrowserLink link) {
        if (session.user() != null || session.isClosed()) {
            return;
        }
        String reason = "no login within " + seconds() + " s";
        events.report(new SecurityEvent(SecurityEvent.Type.LoginTimeout, clock.instant(), null, name, link.remote(),
                reason + " (auth.login-timeout)"));
        link.close(POLICY_VIOLATION, reason);
    }

    private String seconds() {
        long millis = timeout.toMillis();
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(java.util.Locale.ROOT, "%.1f",
                millis / 1000.0);
    }
}

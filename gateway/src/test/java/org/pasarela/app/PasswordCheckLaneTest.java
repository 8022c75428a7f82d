package org.pasarela.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pasarela.auth.Authenticator;
import org.pasarela.auth.LoginLimits;
import org.pasarela.auth.LoginThrottle;
import org.pasarela.auth.PasswordVerifier;
import org.pasarela.auth.PlainPassword;
import org.pasarela.auth.SecurityEvents;
import org.pasarela.call.Session;
import org.pasarela.call.SessionPolicy;
import org.pasarela.config.HistoryConfig;
import org.pasarela.lane.DaemonThreads;
import org.pasarela.lane.Lane;
import org.pasarela.signaling.SignalingCodec;
import org.pasarela.transport.ws.BrowserLink;

/**
 * Slow password checks do not hold the session lanes: with every password-check thread stuck in a check (a latch
 * stands in for bcrypt, so nothing here depends on timing), a {@code ping} on another session is answered, and
 * the logins are answered once their checks finish. With the check on the lane, as before, the two lane threads
 * would be stuck and the pong would never come while the latch is closed.
 */
class PasswordCheckLaneTest {
    private static final int LOGINS = 4;
    private final ExecutorService lanes = Executors.newFixedThreadPool(2, DaemonThreads.named("test-lane"));
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("test-timer"));
    private final CountDownLatch bcrypt = new CountDownLatch(1);
    private final CountDownLatch checksStarted = new CountDownLatch(PasswordChecks.THREADS);
    private HistoryService history;
    private PasswordChecks passwords;

    @TempDir
    Path dir;

    /** A verifier as slow as the test wants: it blocks until the latch opens. */
    private final PasswordVerifier slowSecret = password -> {
        checksStarted.countDown();
        try {
            bcrypt.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return password.equals("secret");
    };

    /** A browser link that records what the gateway sends. */
    private static final class RecordingLink implements BrowserLink {
        final BlockingQueue<String> sent = new LinkedBlockingQueue<>();

        @Override public void send(String text) { sent.add(text); }
        @Override public void close(int statusCode, String reason) { sent.add("closed " + statusCode); }
        @Override public String remoteAddress() { return "127.0.0.1:1"; }
    }

    @AfterEach
    void stop() {
        bcrypt.countDown();
        lanes.shutdownNow();
        scheduler.shutdownNow();
        if (passwords != null) passwords.close();
        if (history != null) history.close();
    }

    @Test
    void aPingIsAnsweredWhileEveryPasswordCheckThreadIsBusyAndTheLoginsFinishAfterwards() throws Exception {
        Clock clock = Clock.systemUTC();
        Authenticator authenticator = new Authenticator(Map.of("alice", slowSecret), new PlainPassword("decoy"),
                Optional.empty(), new LoginThrottle(LoginLimits.DEFAULT), SecurityEvents.NONE);
        passwords = new PasswordChecks(authenticator, clock);
        history = HistoryService.start(new HistoryConfig("jdbc:sqlite:" + dir.resolve("h.db"), Optional.empty(),
                Optional.empty(), Duration.ZERO), clock, scheduler);
        // Only what login and ping use: the codec, the history (missed calls after login) and the password pool.
        GatewayServices services = new GatewayServices(new SignalingCodec(), null, null, null, scheduler, clock,
                history, null, passwords);
        SessionPolicy policy = new SessionPolicy(authenticator, Map.of(), Optional.empty(), 2,
                Duration.ofSeconds(60), Map.of(), org.pasarela.fraud.CallGuard.unrestricted(), Optional.empty(), true);

        List<RecordingLink> logins = new java.util.ArrayList<>();
        for (int i = 0; i < LOGINS; i++) {
            RecordingLink link = new RecordingLink();
            runtime(policy, "s" + i, link, services).onText(
                    "{\"type\":\"login\",\"id\":\"l" + i + "\",\"user\":\"alice\",\"password\":\"secret\"}");
            logins.add(link);
        }
        assertThat(checksStarted.await(10, TimeUnit.SECONDS)).as("both check threads are busy").isTrue();

        RecordingLink other = new RecordingLink();
        runtime(policy, "s9", other, services).onText("{\"type\":\"ping\",\"id\":\"p\"}");
        assertThat(other.sent.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"type\":\"pong\",\"id\":\"p\"}");
        for (RecordingLink link : logins) {
            assertThat(link.sent).as("no login answered while its check is stuck").isEmpty();
        }

        bcrypt.countDown();
        for (int i = 0; i < LOGINS; i++) {
            assertThat(logins.get(i).sent.poll(10, TimeUnit.SECONDS))
                    .startsWith("{\"type\":\"ack\",\"id\":\"l" + i + "\"");
        }
    }

    private SessionRuntime runtime(SessionPolicy policy, String name, RecordingLink link, GatewayServices services) {
        return new SessionRuntime(new Session(policy, () -> "c1", name, link.remote()), new Lane(name, lanes), link,
                services, new SessionDirectory(), null, () -> {});
    }
}

package org.pasarela.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pasarela.auth.Authenticator;
import org.pasarela.auth.LoginLimits;
import org.pasarela.auth.LoginResult;
import org.pasarela.auth.LoginThrottle;
import org.pasarela.auth.PlainPassword;
import org.pasarela.auth.RemoteAddress;
import org.pasarela.auth.SecurityEvents;
import org.pasarela.call.CallAction.CheckPassword;

class PasswordChecksTest {
    private static final RemoteAddress FROM = new RemoteAddress("192.0.2.1", 1000);

    @Test
    void aFullQueueRefusesAtOnceOnTheCallingThreadAndTheQueuedChecksStillFinish() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        Authenticator authenticator = new Authenticator(Map.of("alice", password -> {
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return password.equals("secret");
        }), new PlainPassword("decoy"), Optional.empty(), new LoginThrottle(LoginLimits.DEFAULT), SecurityEvents.NONE);
        List<LoginResult> results = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(2);
        List<String> refused = new CopyOnWriteArrayList<>();
        try (PasswordChecks checks = new PasswordChecks(authenticator, Clock.systemUTC(), 1, 1)) {
            CheckPassword check = new CheckPassword("alice", "secret", "s1", FROM);
            for (int i = 0; i < 3; i++) {
                checks.check(check, r -> { results.add(r); done.countDown(); }, refused::add);
            }
            assertThat(refused).containsExactly("too many logins at once; try again in a few seconds");
            open.countDown();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(results).containsExactly(new LoginResult.Accepted("alice"), new LoginResult.Accepted("alice"));
        }
    }
}

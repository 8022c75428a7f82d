package org.pasarela.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.pasarela.auth.SecurityEvent.Type;

class AuthenticatorTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final RemoteAddress MALLORY = new RemoteAddress("192.0.2.66", 40000);
    private static final RemoteAddress ALICE_HOME = new RemoteAddress("198.51.100.7", 50000);

    private final AtomicInteger checks = new AtomicInteger();
    private final List<SecurityEvent> events = new CopyOnWriteArrayList<>();

    /** Counts every password check, the decoy's included: a banned attempt must not reach any. */
    private PasswordVerifier counting(String password) {
        PlainPassword plain = new PlainPassword(password);
        return candidate -> {
            checks.incrementAndGet();
            return plain.matches(candidate);
        };
    }

    private Authenticator authenticator(Optional<JwtVerifier> tokens) {
        return new Authenticator(Map.of("alice", counting("secret")), counting("decoy-never-matches"), tokens,
                new LoginThrottle(LoginLimits.DEFAULT), events::add);
    }

    private final Authenticator auth = authenticator(Optional.empty());

    private List<Type> eventTypes() {
        return events.stream().map(SecurityEvent::type).toList();
    }

    @Test
    void acceptsTheRightPasswordAndReportsIt() {
        assertThat(auth.withPassword("alice", "secret", "s1", ALICE_HOME, T0)).isEqualTo(new LoginResult.Accepted("alice"));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(Type.SuccessfulAuth);
            assertThat(e.account()).isEqualTo("alice");
            assertThat(e.remote()).isEqualTo(ALICE_HOME);
            assertThat(e.toLogLine()).doesNotContain("secret");
        });
    }

    @Test
    void unknownUsersCostAPasswordCheckAndGetTheSameAnswerAsWrongPasswords() {
        LoginResult unknown = auth.withPassword("mallory", "secret", "s1", MALLORY, T0);
        LoginResult wrong = auth.withPassword("alice", "guess", "s1", MALLORY, T0);
        assertThat(unknown).isEqualTo(wrong).isEqualTo(new LoginResult.Refused("invalid user or password"));
        assertThat(checks).hasValue(2);
        assertThat(eventTypes()).containsExactly(Type.InvalidAccountID, Type.InvalidPassword);
        assertThat(events).noneMatch(e -> e.toLogLine().contains("guess"));
    }

    @Test
    void afterFiveFailuresTheAddressIsBannedWithoutRunningTheHash() {
        for (int i = 0; i < 5; i++) {
            auth.withPassword("user" + i, "guess", "s1", MALLORY, T0.plusSeconds(i));
        }
        assertThat(eventTypes()).endsWith(Type.InvalidAccountID, Type.LoginBanned);
        int before = checks.get();
        LoginResult result = auth.withPassword("alice", "secret", "s2", MALLORY, T0.plusSeconds(60));
        assertThat(result).isEqualTo(new LoginResult.Banned(544));
        assertThat(checks).hasValue(before);
        assertThat(eventTypes()).last().isEqualTo(Type.LoginRateLimited);
    }

    @Test
    void aDifferentAddressIsUnaffectedByAnAddressBan() {
        for (int i = 0; i < 5; i++) {
            auth.withPassword("user" + i, "guess", "s1", MALLORY, T0);
        }
        assertThat(auth.withPassword("alice", "secret", "s3", ALICE_HOME, T0)).isInstanceOf(LoginResult.Accepted.class);
    }

    @Test
    void aBannedUserNameIsBannedFromEveryAddress() {
        for (int i = 0; i < 5; i++) {
            auth.withPassword("alice", "guess", "s1", new RemoteAddress("203.0.113." + i, 1), T0);
        }
        assertThat(auth.withPassword("alice", "secret", "s9", ALICE_HOME, T0.plusSeconds(1)))
                .isInstanceOf(LoginResult.Banned.class);
        assertThat(events).filteredOn(e -> e.type() == Type.LoginBanned).extracting(SecurityEvent::account)
                .containsExactly("alice");
    }

    @Test
    void tokenLoginIsRefusedWhenNotConfigured() {
        assertThat(auth.withToken("a.b.c", null, "s1", MALLORY, T0)).isEqualTo(new LoginResult.Refused(
                "token login is not enabled on this gateway (auth.jwt.algorithms)"));
        assertThat(eventTypes()).containsExactly(Type.InvalidToken);
    }

    @Test
    void tokenLoginTakesTheUserFromSubAndChecksAGivenUser() throws Exception {
        Authenticator withTokens = authenticator(Optional.of(new JwtVerifier(new JwtVerifier.Settings(
                EnumSet.of(JwtAlgorithm.HS256), Optional.of(JwtVerifierTest.SECRET), Optional.empty(), Optional.empty(),
                Optional.empty(), Duration.ofSeconds(30)))));
        String token = JwtVerifierTest.hs256Token("{\"alg\":\"HS256\"}",
                JwtVerifierTest.claims("carol", T0.plusSeconds(60)), JwtVerifierTest.SECRET);
        assertThat(withTokens.withToken(token, null, "s1", ALICE_HOME, T0)).isEqualTo(new LoginResult.Accepted("carol"));
        assertThat(withTokens.withToken(token, "alice", "s1", ALICE_HOME, T0)).isEqualTo(new LoginResult.Refused(
                "token refused: \"user\" differs from the token's \"sub\""));
        assertThat(withTokens.withToken(token, null, "s1", ALICE_HOME, T0.plusSeconds(120)))
                .isEqualTo(new LoginResult.Refused("token refused: token expired at 2025-03-01T10:01:00Z"));
        assertThat(checks).hasValue(0);
        assertThat(events).noneMatch(e -> e.toLogLine().contains(token.substring(token.lastIndexOf('.') + 1)));
    }

    @Test
    void reportsRequestsBeforeLoginWithoutCountingThem() {
        auth.refusedRequest("call", "s4", MALLORY, T0);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(Type.RequestNotAllowed);
            assertThat(e.reason()).isEqualTo("call before login");
        });
        assertThat(auth.throttle().tracked()).isZero();
    }
}

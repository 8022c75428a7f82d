package org.pasarela.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pasarela.call.CallFixtures.T0;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pasarela.auth.Authenticator;
import org.pasarela.auth.LoginLimits;
import org.pasarela.auth.LoginResult;
import org.pasarela.auth.LoginThrottle;
import org.pasarela.auth.PlainPassword;
import org.pasarela.auth.RemoteAddress;
import org.pasarela.auth.SecurityEvent;
import org.pasarela.auth.TurnCredentials;
import org.pasarela.call.CallAction.CheckPassword;
import org.pasarela.call.CallAction.SendToBrowser;
import org.pasarela.signaling.Ack;
import org.pasarela.signaling.ErrorMessage;
import org.pasarela.signaling.HistoryRequest;
import org.pasarela.signaling.IceServer;
import org.pasarela.signaling.LoginRequest;
import org.pasarela.signaling.PingRequest;
import org.pasarela.signaling.Pong;
import org.pasarela.signaling.ServerMessage;

/**
 * Password logins checked off the session's lane: the session asks for the check, holds what follows, and
 * answers in the order the client asked once the outcome comes back. TURN credentials in the login ack.
 */
class SessionPasswordCheckTest {
    private static final RemoteAddress HOME = new RemoteAddress("198.51.100.7", 50000);
    private static final RemoteAddress MALLORY = new RemoteAddress("192.0.2.66", 40000);
    private static final TurnCredentials TURN = new TurnCredentials(List.of("turn:127.0.0.1:3478?transport=udp"),
            "north-star-turn-secret-0123456789".getBytes(), Duration.ofMinutes(10));

    private final List<SecurityEvent> events = new ArrayList<>();
    private final Authenticator authenticator = new Authenticator(Map.of("alice", new PlainPassword("secret")),
            new PlainPassword("decoy"), Optional.empty(), new LoginThrottle(LoginLimits.DEFAULT), events::add);

    private SessionPolicy policy(Optional<TurnCredentials> turn, boolean offLane) {
        return new SessionPolicy(authenticator, Map.of(), Optional.empty(), 2, Duration.ofSeconds(60), Map.of(),
                org.pasarela.fraud.CallGuard.unrestricted(), turn, offLane);
    }

    private Session offLane(String name, RemoteAddress from) {
        return new Session(policy(Optional.empty(), true), () -> "c1", name, from);
    }

    /** What the runtime does with a CheckPassword: the whole authenticator, elsewhere, then the outcome back. */
    private List<Command> runCheck(Session session, List<Command> commands) {
        CheckPassword check = (CheckPassword) commands.get(commands.size() - 1).action();
        LoginResult result = authenticator.withPassword(check.user(), check.password(), check.session(), check.from(),
                T0);
        return session.onPasswordChecked(result, T0);
    }

    private static List<ServerMessage> replies(List<Command> commands) {
        return commands.stream().filter(c -> c.action() instanceof SendToBrowser)
                .map(c -> ((SendToBrowser) c.action()).message()).toList();
    }

    @Test
    void aPasswordLoginOnlyAsksForTheCheckWithTheSessionAndPeer() {
        Session session = offLane("s7", HOME);
        List<Command> out = session.onMessage(new LoginRequest("1", "alice", "secret"), T0);
        assertThat(out).containsExactly(new Command(null, new CheckPassword("alice", "secret", "s7", HOME)));
        assertThat(out.get(0).action().toString()).doesNotContain("secret,").contains("password=***");
        assertThat(events).as("nothing decided yet").isEmpty();
        assertThat(session.user()).isNull();
    }

    @Test
    void requestsDuringTheCheckAreAnsweredAfterTheLoginInTheOrderSent() {
        Session session = offLane("s1", HOME);
        List<Command> check = session.onMessage(new LoginRequest("1", "alice", "secret"), T0);
        assertThat(session.onMessage(new PingRequest("2"), T0)).isEmpty();
        assertThat(session.onMessage(new HistoryRequest("3", null, null), T0)).isEmpty();

        List<Command> out = runCheck(session, check);
        assertThat(out).containsExactly(
                new Command(null, new SendToBrowser(new Ack("1", null, List.of(), null))),
                new Command(null, new CallAction.ReportMissed("alice")),
                new Command(null, new SendToBrowser(new Pong("2"))),
                new Command(null, new CallAction.LookUpHistory("3", "alice", 50, null)));
        assertThat(session.user()).isEqualTo("alice");
    }

    @Test
    void aRefusedLoginIsAnswered401AndTheHeldRequestsAreJudgedWithoutALogin() {
        Session session = offLane("s1", MALLORY);
        List<Command> check = session.onMessage(new LoginRequest("1", "alice", "guess"), T0);
        session.onMessage(new HistoryRequest("2", null, null), T0);
        assertThat(replies(runCheck(session, check))).containsExactly(
                new ErrorMessage("1", null, 401, "login: invalid user or password"),
                new ErrorMessage("2", null, 401, "log in first: history needs a successful login"));
        assertThat(events).extracting(SecurityEvent::type)
                .containsExactly(SecurityEvent.Type.InvalidPassword, SecurityEvent.Type.RequestNotAllowed);
    }

    @Test
    void aHeldSecondPasswordLoginIsCheckedInItsTurnAndHoldsWhatFollowsIt() {
        Session session = offLane("s1", HOME);
        List<Command> first = session.onMessage(new LoginRequest("1", "alice", "guess"), T0);
        session.onMessage(new LoginRequest("2", "alice", "secret"), T0);
        session.onMessage(new PingRequest("3"), T0);
        List<Command> afterFirst = runCheck(session, first);
        assertThat(afterFirst).containsExactly(
                new Command(null, new SendToBrowser(new ErrorMessage("1", null, 401, "login: invalid user or password"))),
                new Command(null, new CheckPassword("alice", "secret", "s1", HOME)));
        assertThat(replies(runCheck(session, afterFirst))).containsExactly(new Ack("2", null, List.of(), null),
                new Pong("3"));
    }

    @Test
    void fiveFailuresThroughTheCheckBanTheAddressAsInline() {
        for (int i = 0; i < 5; i++) {
            Session s = offLane("s" + i, MALLORY);
            runCheck(s, s.onMessage(new LoginRequest("1", "alice", "guess" + i), T0));
        }
        Session banned = offLane("s9", MALLORY);
        assertThat(replies(runCheck(banned, banned.onMessage(new LoginRequest("2", "bob", "x"), T0))))
                .containsExactly(new ErrorMessage("2", null, 429, "login: too many failed logins; try again in 600 s", 600));
        assertThat(events).extracting(SecurityEvent::type).containsSubsequence(SecurityEvent.Type.LoginBanned,
                SecurityEvent.Type.LoginRateLimited);
    }

    @Test
    void aSessionClosedDuringTheCheckSendsNothingAfterwards() {
        Session session = offLane("s1", HOME);
        List<Command> check = session.onMessage(new LoginRequest("1", "alice", "secret"), T0);
        session.onMessage(new PingRequest("2"), T0);
        session.onClosed(T0);
        assertThat(runCheck(session, check)).isEmpty();
    }

    @Test
    void anOverloadedCheckAnswers503AndThenTheHeldRequests() {
        Session session = offLane("s1", HOME);
        session.onMessage(new LoginRequest("1", "alice", "secret"), T0);
        session.onMessage(new PingRequest("2"), T0);
        assertThat(replies(session.onPasswordCheckUnavailable("too many logins at once", T0))).containsExactly(
                new ErrorMessage("1", null, 503, "login: too many logins at once"), new Pong("2"));
        assertThat(session.user()).isNull();
    }

    @Test
    void tooManyRequestsDuringTheCheckAreRefusedAt429() {
        Session session = offLane("s1", HOME);
        session.onMessage(new LoginRequest("1", "alice", "secret"), T0);
        for (int i = 0; i < Session.MAX_HELD; i++) {
            assertThat(session.onMessage(new PingRequest("p" + i), T0)).isEmpty();
        }
        assertThat(replies(session.onMessage(new PingRequest("late"), T0))).containsExactly(new ErrorMessage("late",
                null, 429, "ping: more than " + Session.MAX_HELD + " requests while the login is checked"));
    }

    @Test
    void anotherUsersLoginOnALoggedInSessionIsAConflictWithoutACheck() {
        Session session = offLane("s1", HOME);
        runCheck(session, session.onMessage(new LoginRequest("1", "alice", "secret"), T0));
        assertThat(replies(session.onMessage(new LoginRequest("2", "bob", "x"), T0))).singleElement()
                .satisfies(m -> assertThat(((ErrorMessage) m).code()).isEqualTo(409));
    }

    @Test
    void anOutcomeWithoutACheckIsABug() {
        Session session = offLane("s3", HOME);
        assertThatThrownBy(() -> session.onPasswordChecked(new LoginResult.Accepted("alice"), T0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("session s3: a password check ended but none was under way");
    }

    @Test
    void theLoginAckCarriesTurnCredentialsForTheUserValidForTheLifetime() {
        Session session = new Session(policy(Optional.of(TURN), false), () -> "c1", "s1", HOME);
        Ack ack = (Ack) replies(session.onMessage(new LoginRequest("1", "alice", "secret"), T0)).get(0);
        String expiry = String.valueOf(T0.plus(Duration.ofMinutes(10)).getEpochSecond());
        assertThat(ack.iceServers()).containsExactly(new IceServer(List.of("turn:127.0.0.1:3478?transport=udp"),
                expiry + ":alice", TURN.password(expiry + ":alice")));
    }

    @Test
    void aFailedLoginGetsNoTurnCredentials() {
        Session session = new Session(policy(Optional.of(TURN), false), () -> "c1", "s1", HOME);
        assertThat(replies(session.onMessage(new LoginRequest("1", "alice", "guess"), T0))).singleElement()
                .isInstanceOf(ErrorMessage.class);
    }
}

package org.pasarela.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pasarela.call.CallFixtures.T0;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pasarela.auth.Authenticator;
import org.pasarela.auth.JwtAlgorithm;
import org.pasarela.auth.JwtVerifier;
import org.pasarela.auth.LoginLimits;
import org.pasarela.auth.LoginThrottle;
import org.pasarela.auth.PlainPassword;
import org.pasarela.auth.RemoteAddress;
import org.pasarela.auth.SecurityEvent;
import org.pasarela.call.CallAction.SendToBrowser;
import org.pasarela.signaling.Ack;
import org.pasarela.signaling.ErrorMessage;
import org.pasarela.signaling.HangupRequest;
import org.pasarela.signaling.LoginRequest;
import org.pasarela.signaling.ServerMessage;

/** Login through the session: the protocol answers the authenticator's outcomes turn into. */
class SessionLoginTest {
    private static final RemoteAddress MALLORY = new RemoteAddress("192.0.2.66", 40000);
    private static final RemoteAddress ALICE_HOME = new RemoteAddress("198.51.100.7", 50000);
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef-session".getBytes();

    private final List<SecurityEvent> events = new ArrayList<>();
    private final Authenticator authenticator = new Authenticator(Map.of("alice", new PlainPassword("secret")),
            new PlainPassword("decoy"), Optional.of(new JwtVerifier(new JwtVerifier.Settings(EnumSet.of(JwtAlgorithm.HS256),
            Optional.of(SECRET), Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(30)))),
            new LoginThrottle(LoginLimits.DEFAULT), events::add);
    private final SessionPolicy policy = new SessionPolicy(authenticator, Map.of(), Optional.empty(), 2,
            Duration.ofSeconds(60), Map.of());

    private Session session(String name, RemoteAddress from) {
        return new Session(policy, () -> "c1", name, from);
    }

    private static ServerMessage onlyReply(List<Command> commands) {
        assertThat(commands).hasSize(1);
        return ((SendToBrowser) commands.get(0).action()).message();
    }

    private static String token(String sub) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString("{\"alg\":\"HS256\"}".getBytes()) + "." + b64.encodeToString(
                ("{\"sub\":\"" + sub + "\",\"exp\":" + T0.plusSeconds(300).getEpochSecond() + "}").getBytes());
        return input + "." + b64.encodeToString(mac.doFinal(input.getBytes()));
    }

    @Test
    void logsInWithASignedTokenAsItsSubject() throws Exception {
        Session session = session("s1", ALICE_HOME);
        List<Command> commands = session.onMessage(LoginRequest.withToken("1", token("carol")), T0);
        assertThat(((SendToBrowser) commands.get(0).action()).message())
                .isEqualTo(new Ack("1", null, List.of(), null));
        assertThat(commands.get(1).action()).isEqualTo(new CallAction.ReportMissed("carol"));
        assertThat(session.user()).isEqualTo("carol");
    }

    @Test
    void refusesAForgedTokenWith401AndTheReason() {
        Session session = session("s1", MALLORY);
        ErrorMessage error = (ErrorMessage) onlyReply(session.onMessage(LoginRequest.withToken("1",
                "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.x"), T0));
        assertThat(error).isEqualTo(new ErrorMessage("1", null, 401,
                "login: token refused: unsigned tokens (alg \"none\") are never accepted"));
        assertThat(session.user()).isNull();
    }

    @Test
    void aBannedAddressGets429WhileAnotherAddressLogsIn() {
        for (int i = 0; i < 5; i++) {
            session("s" + i, MALLORY).onMessage(new LoginRequest("1", "alice", "guess" + i), T0);
        }
        ErrorMessage banned = (ErrorMessage) onlyReply(session("s9", MALLORY)
                .onMessage(new LoginRequest("2", "bob", "whatever"), T0.plusSeconds(17)));
        assertThat(banned).isEqualTo(new ErrorMessage("2", null, 429,
                "login: too many failed logins; try again in 583 s", 583));
        // Another address is not banned: a wrong login from there is judged on its merits (401, not 429).
        Session home = session("s10", ALICE_HOME);
        assertThat(((ErrorMessage) onlyReply(home.onMessage(new LoginRequest("3", "bob", "x"), T0))).code())
                .isEqualTo(401);
    }

    @Test
    void reportsEveryRequestBeforeLoginWithTheSessionAndAddress() {
        Session session = session("s5", MALLORY);
        ErrorMessage error = (ErrorMessage) onlyReply(session.onMessage(new HangupRequest("4", "c1"), T0));
        assertThat(error.code()).isEqualTo(401);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(SecurityEvent.Type.RequestNotAllowed);
            assertThat(e.session()).isEqualTo("s5");
            assertThat(e.remote()).isEqualTo(MALLORY);
            assertThat(e.reason()).isEqualTo("hangup before login");
        });
    }

    @Test
    void aTokenForAnotherUserOnALoggedInSessionIsAConflict() throws Exception {
        Session session = session("s1", ALICE_HOME);
        session.onMessage(new LoginRequest("1", "alice", "secret"), T0);
        ErrorMessage error = (ErrorMessage) onlyReply(session.onMessage(LoginRequest.withToken("2", token("carol")), T0));
        assertThat(error.code()).isEqualTo(409);
        assertThat(session.user()).isEqualTo("alice");
    }
}

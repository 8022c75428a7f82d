package org.pasarela.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pasarela.call.CallAction.JoinRegistration;
import org.pasarela.call.CallAction.LeaveRegistration;
import org.pasarela.call.CallAction.SendToBrowser;
import org.pasarela.config.Credentials;
import org.pasarela.config.RegistrationSettings;
import org.pasarela.config.SipProfile;
import org.pasarela.config.SipUri;
import org.pasarela.signaling.Ack;
import org.pasarela.signaling.ErrorMessage;
import org.pasarela.signaling.LoginRequest;
import org.pasarela.signaling.RegisterRequest;
import org.pasarela.signaling.UnregisterRequest;

class SessionRegistrationTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private final SipProfile pbx = SipProfile.builder("pbx", SipUri.parse("sip:192.0.2.1:5060"))
            .credentials(new Credentials("{user}", "shared", Optional.empty()))
            .registration(new RegistrationSettings("{user}", "pbx.example.org", 600)).build();
    private final SipProfile trunk = SipProfile.builder("trunk", SipUri.parse("sip:192.0.2.2")).build();
    private final SipProfile off = SipProfile.builder("off", SipUri.parse("sip:192.0.2.3")).enabled(false)
            .registration(new RegistrationSettings("{user}", "x.example.org", 600)).build();
    private final Session session = new Session(new SessionPolicy(Map.of("alice", "secret"),
            Map.of("pbx", pbx, "trunk", trunk, "off", off), Optional.of("pbx"), 2, Duration.ofSeconds(60),
            Map.of("alice", "own-sip")), () -> "c1");

    private void login() {
        session.onMessage(new LoginRequest("l", "alice", "secret"), T0);
    }

    private static ErrorMessage error(List<Command> commands) {
        assertThat(commands).hasSize(1);
        return (ErrorMessage) ((SendToBrowser) commands.get(0).action()).message();
    }

    @Test
    void refusesRegisterBeforeLoginWith401() {
        assertThat(error(session.onMessage(new RegisterRequest("1", "pbx"), T0)).code()).isEqualTo(401);
    }

    @Test
    void acksAndAsksToJoinTheUsersRegistrationWithHerOwnSipPassword() {
        login();
        List<Command> out = session.onMessage(new RegisterRequest("1", null), T0);
        assertThat(out).extracting(Command::callId).containsOnlyNulls();
        assertThat(((SendToBrowser) out.get(0).action()).message()).isEqualTo(new Ack("1", null));
        JoinRegistration join = (JoinRegistration) out.get(1).action();
        assertThat(join.user()).isEqualTo("alice");
        assertThat(join.profile().name()).isEqualTo("pbx");
        assertThat(join.profile().credentials()).contains(new Credentials("alice", "own-sip", Optional.empty()));
    }

    @Test
    void refusesUnknownDisabledAndNonRegisteringProfilesWithPreciseCodes() {
        login();
        assertThat(error(session.onMessage(new RegisterRequest("1", "nope"), T0)))
                .isEqualTo(new ErrorMessage("1", null, 404, "register: unknown profile 'nope'"));
        assertThat(error(session.onMessage(new RegisterRequest("2", "off"), T0)).code()).isEqualTo(403);
        assertThat(error(session.onMessage(new RegisterRequest("3", "trunk"), T0))).isEqualTo(new ErrorMessage(
                "3", null, 409, "register: profile 'trunk' does not register users (register = false)"));
    }

    @Test
    void unregisterLeavesOnlyWhatThisSessionJoined() {
        login();
        assertThat(error(session.onMessage(new UnregisterRequest("1", "pbx"), T0)).code()).isEqualTo(409);
        session.onMessage(new RegisterRequest("2", "pbx"), T0);
        List<Command> out = session.onMessage(new UnregisterRequest("3", "pbx"), T0);
        assertThat(out.get(1).action()).isEqualTo(new LeaveRegistration("alice", "pbx"));
    }

    @Test
    void closingTheSocketLeavesEveryRegistrationOfTheSession() {
        login();
        session.onMessage(new RegisterRequest("1", "pbx"), T0);
        session.onMessage(new RegisterRequest("2", "pbx"), T0); // asking twice is harmless
        assertThat(session.onClosed(T0)).extracting(Command::action)
                .containsExactly(new LeaveRegistration("alice", "pbx"));
    }
}

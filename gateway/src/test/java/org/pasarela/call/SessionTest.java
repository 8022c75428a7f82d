package org.pasarela.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pasarela.call.CallFixtures.T0;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.pasarela.call.CallAction.AllocateMedia;
import org.pasarela.call.CallAction.SendCancel;
import org.pasarela.call.CallAction.SendToBrowser;
import org.pasarela.call.CallEvent.MediaAllocated;
import org.pasarela.call.CallEvent.SipProvisional;
import org.pasarela.config.DtmfMode;
import org.pasarela.config.SipProfile;
import org.pasarela.config.SipUri;
import org.pasarela.signaling.Ack;
import org.pasarela.signaling.CallRequest;
import org.pasarela.signaling.ErrorMessage;
import org.pasarela.signaling.HangupRequest;
import org.pasarela.signaling.Jsep;
import org.pasarela.signaling.LoginRequest;
import org.pasarela.signaling.PingRequest;
import org.pasarela.signaling.Pong;
import org.pasarela.signaling.ServerMessage;

class SessionTest {
    private final AtomicInteger ids = new AtomicInteger();
    private final SipProfile trunk = SipProfile.builder("trunk", SipUri.parse("sip:192.0.2.1:5060"))
            .dtmf(DtmfMode.INFO).build();
    private final SipProfile disabled = SipProfile.builder("off", SipUri.parse("sip:192.0.2.2")).enabled(false).build();
    private final SessionPolicy policy = new SessionPolicy(Map.of("alice", "secret"),
            Map.of("trunk", trunk, "off", disabled), Optional.of("trunk"), 2, Duration.ofSeconds(60));
    private final Session session = new Session(policy, () -> "c" + ids.incrementAndGet());

    private static ServerMessage onlyReply(List<Command> commands) {
        assertThat(commands).hasSize(1);
        assertThat(commands.get(0).callId()).isNull();
        return ((SendToBrowser) commands.get(0).action()).message();
    }

    private CallRequest call(String id, String profile) {
        return new CallRequest(id, "1000", profile, new Jsep("offer", CallFixtures.chromiumOffer()));
    }

    private void login() {
        session.onMessage(new LoginRequest("l", "alice", "secret"), T0);
    }

    @Test
    void answersPingEvenBeforeLogin() {
        assertThat(onlyReply(session.onMessage(new PingRequest("p1"), T0))).isEqualTo(new Pong("p1"));
    }

    @Test
    void refusesCallsBeforeLoginWith401() {
        ErrorMessage error = (ErrorMessage) onlyReply(session.onMessage(call("1", null), T0));
        assertThat(error.code()).isEqualTo(401);
        assertThat(error.id()).isEqualTo("1");
        assertThat(error.reason()).contains("log in first");
    }

    @Test
    void givesTheSameAnswerForUnknownUsersAndWrongPasswords() {
        ServerMessage unknown = onlyReply(session.onMessage(new LoginRequest("1", "mallory", "secret"), T0));
        ServerMessage wrong = onlyReply(session.onMessage(new LoginRequest("1", "alice", "guess"), T0));
        assertThat(unknown).isEqualTo(wrong);
        assertThat(((ErrorMessage) wrong).code()).isEqualTo(401);
        assertThat(session.user()).isNull();
    }

    @Test
    void acknowledgesAGoodLoginListingTheProfilesThenAsksForTheMissedCalls() {
        assertThat(session.onMessage(new LoginRequest("1", "alice", "secret"), T0)).containsExactly(
                new Command(null, new SendToBrowser(new Ack("1", null, List.of("trunk"), "trunk"))),
                new Command(null, new CallAction.ReportMissed("alice")));
        assertThat(session.user()).isEqualTo("alice");
        assertThat(onlyReply(session.onMessage(new LoginRequest("2", "alice", "secret"), T0)))
                .isEqualTo(new Ack("2", null, List.of("trunk"), "trunk"));
    }

    @Test
    void refusesHistoryBeforeLoginWith401() {
        ErrorMessage error = (ErrorMessage) onlyReply(session.onMessage(
                new org.pasarela.signaling.HistoryRequest("h", null, null), T0));
        assertThat(error).isEqualTo(new ErrorMessage("h", null, 401,
                "log in first: history needs a successful login"));
    }

    @Test
    void turnsAHistoryRequestIntoALookupForTheLoggedInUser() {
        login();
        assertThat(session.onMessage(new org.pasarela.signaling.HistoryRequest("h", null, "2025-03-01T10:00:00Z"),
                T0)).containsExactly(new Command(null,
                        new CallAction.LookUpHistory("h", "alice", 50, "2025-03-01T10:00:00Z")));
        assertThat(session.onMessage(new org.pasarela.signaling.HistoryRequest("i", 500, null), T0))
                .containsExactly(new Command(null, new CallAction.LookUpHistory("i", "alice", 500, null)));
    }

    @Test
    void listsProfilesSortedAndLeavesOutADisabledDefault() {
        SipProfile echo = SipProfile.builder("echo", SipUri.parse("sip:echo@127.0.0.1:5098")).build();
        Session other = new Session(new SessionPolicy(Map.of("alice", "secret"),
                Map.of("trunk", trunk, "off", disabled, "echo", echo), Optional.of("off"), 2, Duration.ofSeconds(60)),
                () -> "c1");
        assertThat(other.onMessage(new LoginRequest("1", "alice", "secret"), T0).get(0))
                .isEqualTo(new Command(null, new SendToBrowser(new Ack("1", null, List.of("echo", "trunk"), null))));
    }

    @Test
    void placesACallThroughTheDefaultProfileWithAGatewayAssignedId() {
        login();
        List<Command> commands = session.onMessage(call("2", null), T0);
        assertThat(commands).containsExactly(new Command("c1", new AllocateMedia()));
        List<Command> afterMedia = session.onCallEvent("c1", new MediaAllocated(CallFixtures.LOCAL), T0);
        assertThat(afterMedia.get(0)).isEqualTo(new Command("c1", new SendToBrowser(new Ack("2", "c1"))));
    }

    @Test
    void refusesAnUnknownProfileWith404NamingIt() {
        login();
        ErrorMessage error = (ErrorMessage) onlyReply(session.onMessage(call("2", "nope"), T0));
        assertThat(error.code()).isEqualTo(404);
        assertThat(error.reason()).isEqualTo("call: unknown profile 'nope'");
    }

    @Test
    void refusesADisabledProfile() {
        login();
        ErrorMessage error = (ErrorMessage) onlyReply(session.onMessage(call("2", "off"), T0));
        assertThat(error.code()).isEqualTo(403);
        assertThat(error.reason()).contains("'off' is disabled");
    }

    @Test
    void refusesSdpThatDoesNotParseWith488BeforeAnythingIsAllocated() {
        login();
        ErrorMessage error = (ErrorMessage) onlyReply(session.onMessage(
                new CallRequest("2", "1000", null, new Jsep("offer", "v=0\r\nthis is not sdp\r\n")), T0));
        assertThat(error.code()).isEqualTo(488);
        assertThat(error.reason()).startsWith("call: jsep.sdp: ");
        assertThat(session.callCount()).isZero();
    }

    @Test
    void refusesADestinationTheDialPlanRejectsWith400() {
        login();
        ErrorMessage error = (ErrorMessage) onlyReply(session.onMessage(
                new CallRequest("2", "sip:bob@example.com", null, new Jsep("offer", CallFixtures.chromiumOffer())),
                T0));
        assertThat(error.code()).isEqualTo(400);
        assertThat(error.reason()).startsWith("call: to: ");
    }

    @Test
    void holdsSeveralCallsAtOnceUpToTheLimit() {
        login();
        session.onMessage(call("a", null), T0);
        session.onMessage(call("b", null), T0);
        assertThat(session.callCount()).isEqualTo(2);
        ErrorMessage error = (ErrorMessage) onlyReply(session.onMessage(call("c", null), T0));
        assertThat(error.code()).isEqualTo(429);
    }

    @Test
    void routesHangupToTheRightCallAndRejectsUnknownCallIds() {
        login();
        session.onMessage(call("a", null), T0);
        session.onCallEvent("c1", new MediaAllocated(CallFixtures.LOCAL), T0);
        ErrorMessage unknown = (ErrorMessage) onlyReply(session.onMessage(new HangupRequest("h", "c9"), T0));
        assertThat(unknown).isEqualTo(new ErrorMessage("h", "c9", 404, "unknown call 'c9'"));
    }

    @Test
    void closingTheWebSocketCancelsEveryRingingCall() {
        login();
        for (String id : List.of("a", "b")) {
            session.onMessage(call(id, null), T0);
        }
        for (String callId : List.of("c1", "c2")) {
            session.onCallEvent(callId, new MediaAllocated(CallFixtures.LOCAL), T0);
            session.onCallEvent(callId, new SipProvisional(180, "Ringing", null), T0);
        }
        List<Command> commands = session.onClosed(T0);
        assertThat(commands).contains(new Command("c1", new SendCancel()), new Command("c2", new SendCancel()));
        assertThat(session.isClosed()).isTrue();
    }

    @Test
    void forgetsAnEndedCallAndIgnoresItsLateEvents() {
        login();
        session.onMessage(call("a", null), T0);
        session.onCallEvent("c1", new MediaAllocated(CallFixtures.LOCAL), T0);
        session.onCallEvent("c1", new CallEvent.SipFailed(486, "Busy Here"), T0);
        assertThat(session.callCount()).isZero();
        assertThat(session.onCallEvent("c1", new CallEvent.SipFailed(486, "Busy Here"), T0)).isEmpty();
    }
}

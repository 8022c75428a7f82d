package org.pasarela.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pasarela.call.CallFixtures.T0;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pasarela.auth.RemoteAddress;
import org.pasarela.call.CallAction.SendToBrowser;
import org.pasarela.call.CallAction.ToIncomingCall;
import org.pasarela.call.CallEvent.SessionAccepted;
import org.pasarela.call.CallEvent.SessionCandidate;
import org.pasarela.call.CallEvent.SessionDtmf;
import org.pasarela.call.CallEvent.SessionHungUp;
import org.pasarela.call.CallEvent.SessionLeft;
import org.pasarela.call.CallEvent.SessionRejected;
import org.pasarela.config.DtmfMode;
import org.pasarela.signaling.AcceptRequest;
import org.pasarela.signaling.Answered;
import org.pasarela.signaling.CandidateMessage;
import org.pasarela.signaling.DtmfRequest;
import org.pasarela.signaling.ErrorMessage;
import org.pasarela.signaling.Hangup;
import org.pasarela.signaling.HangupRequest;
import org.pasarela.signaling.Incoming;
import org.pasarela.signaling.Jsep;
import org.pasarela.signaling.LoginRequest;
import org.pasarela.signaling.RejectRequest;

/** How a session routes the messages of incoming calls between its browser and the calls' own lanes. */
class SessionIncomingTest {
    private static final Incoming INCOMING = new Incoming("c7", "sip:1000@example.org", null, "sip:alice@example.org",
            "pbx", Jsep.offer("v=0\r\n"));
    private static final String ANSWER = "v=0\r\n";

    private final SessionPolicy policy = new SessionPolicy(Map.of("alice", "secret"),
            Map.of("pbx", IncomingFixtures.profile(DtmfMode.INFO)), Optional.of("pbx"), 2, Duration.ofSeconds(60));
    private final Session session = new Session(policy, () -> "c1", "s4", RemoteAddress.UNKNOWN);

    private void loginAndRing() {
        session.onMessage(new LoginRequest("l", "alice", "secret"), T0);
        session.fromIncomingCall("c7", INCOMING);
    }

    private static Command toCall(CallEvent event) {
        return new Command("c7", new ToIncomingCall(event));
    }

    private static ErrorMessage onlyError(List<Command> commands) {
        assertThat(commands).hasSize(1);
        return (ErrorMessage) ((SendToBrowser) commands.get(0).action()).message();
    }

    @Test
    void passesTheIncomingMessageToTheBrowserAndRemembersTheCall() {
        session.onMessage(new LoginRequest("l", "alice", "secret"), T0);
        assertThat(session.fromIncomingCall("c7", INCOMING))
                .containsExactly(new Command("c7", new SendToBrowser(INCOMING)));
        assertThat(session.offeredIncomingCalls()).containsExactly("c7");
    }

    @Test
    void routesAcceptAndRejectOfAnOfferedCallToThatCallsLane() {
        loginAndRing();
        assertThat(session.onMessage(new AcceptRequest("7", "c7", Jsep.answer(ANSWER)), T0))
                .containsExactly(toCall(new SessionAccepted("s4", "7", ANSWER)));
        assertThat(session.onMessage(new RejectRequest("8", "c7", true), T0))
                .containsExactly(toCall(new SessionRejected("s4", "8", true)));
    }

    @Test
    void routesHangupCandidateAndDtmfOfAnOfferedCallToThatCallsLane() {
        loginAndRing();
        assertThat(session.onMessage(new HangupRequest("h", "c7"), T0))
                .containsExactly(toCall(new SessionHungUp("s4", "h")));
        assertThat(session.onMessage(CandidateMessage.endOfCandidates(null, "c7"), T0))
                .containsExactly(toCall(new SessionCandidate("s4", null, null)));
        assertThat(session.onMessage(new DtmfRequest("d", "c7", "5", null), T0))
                .containsExactly(toCall(new SessionDtmf("s4", "d", "5", 100)));
    }

    @Test
    void answersAcceptForACallNeverOfferedHereWith404() {
        session.onMessage(new LoginRequest("l", "alice", "secret"), T0);
        ErrorMessage error = onlyError(session.onMessage(new AcceptRequest("7", "c7", Jsep.answer(ANSWER)), T0));
        assertThat(error.code()).isEqualTo(404);
        assertThat(error.reason()).isEqualTo("unknown call 'c7'");
        assertThat(onlyError(session.onMessage(new RejectRequest(null, "c9", false), T0)).call()).isEqualTo("c9");
    }

    @Test
    void forgetsTheCallOnceItsHangupPasses() {
        loginAndRing();
        session.fromIncomingCall("c7", new Answered("c7", null));
        assertThat(session.offeredIncomingCalls()).containsExactly("c7");
        session.fromIncomingCall("c7", new Hangup("c7", 200, "answered elsewhere"));
        assertThat(session.offeredIncomingCalls()).isEmpty();
        assertThat(onlyError(session.onMessage(new HangupRequest("h", "c7"), T0)).code()).isEqualTo(404);
    }

    @Test
    void tellsEveryOfferedCallThatTheSessionLeftWhenTheWebSocketCloses() {
        loginAndRing();
        session.fromIncomingCall("c8", new Incoming("c8", "sip:2000@example.org", "Bob", "sip:alice@example.org",
                "pbx", Jsep.offer("v=0\r\n")));
        assertThat(session.onClosed(T0)).containsExactly(toCall(new SessionLeft("s4")),
                new Command("c8", new ToIncomingCall(new SessionLeft("s4"))));
        assertThat(session.fromIncomingCall("c7", new Hangup("c7", 487, "cancelled by caller"))).isEmpty();
    }

    @Test
    void refusesAcceptBeforeLoginWith401() {
        session.fromIncomingCall("c7", INCOMING);
        ErrorMessage error = onlyError(session.onMessage(new AcceptRequest("7", "c7", Jsep.answer(ANSWER)), T0));
        assertThat(error.code()).isEqualTo(401);
        assertThat(error.call()).isEqualTo("c7");
        assertThat(error.reason()).isEqualTo("log in first: accept needs a successful login");
    }
}

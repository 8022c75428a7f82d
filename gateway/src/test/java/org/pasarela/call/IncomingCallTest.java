package org.pasarela.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pasarela.call.CallFixtures.LOCAL;
import static org.pasarela.call.CallFixtures.T0;
import static org.pasarela.call.CallFixtures.ofType;
import static org.pasarela.call.IncomingFixtures.SESSIONS;
import static org.pasarela.call.IncomingFixtures.chromiumAnswer;
import static org.pasarela.call.IncomingFixtures.sentTo;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pasarela.bridge.BridgedAnswer;
import org.pasarela.bridge.DtlsSetup;
import org.pasarela.bridge.LateOffer;
import org.pasarela.call.CallAction.AllocateMedia;
import org.pasarela.call.CallAction.AnswerReoffer;
import org.pasarela.call.CallAction.CancelTimer;
import org.pasarela.call.CallAction.Finish;
import org.pasarela.call.CallAction.ReleaseMedia;
import org.pasarela.call.CallAction.SendBye;
import org.pasarela.call.CallAction.SendDtmfInfo;
import org.pasarela.call.CallAction.SendFinalResponse;
import org.pasarela.call.CallAction.SendRinging;
import org.pasarela.call.CallAction.SendToSession;
import org.pasarela.call.CallAction.StartMedia;
import org.pasarela.call.CallAction.StartTimer;
import org.pasarela.call.CallAction.UpdateMedia;
import org.pasarela.call.CallEvent.MediaAllocated;
import org.pasarela.call.CallEvent.MediaFailed;
import org.pasarela.call.CallEvent.MediaLost;
import org.pasarela.call.CallEvent.SessionAccepted;
import org.pasarela.call.CallEvent.SessionCandidate;
import org.pasarela.call.CallEvent.SessionDtmf;
import org.pasarela.call.CallEvent.SessionHungUp;
import org.pasarela.call.CallEvent.SessionLeft;
import org.pasarela.call.CallEvent.SessionRejected;
import org.pasarela.call.CallEvent.SipAcked;
import org.pasarela.call.CallEvent.SipByeCompleted;
import org.pasarela.call.CallEvent.SipByeReceived;
import org.pasarela.call.CallEvent.SipCancelled;
import org.pasarela.call.CallEvent.SipReoffered;
import org.pasarela.call.CallEvent.TimerFired;
import org.pasarela.config.DtmfMode;
import org.pasarela.signaling.Ack;
import org.pasarela.signaling.Answered;
import org.pasarela.signaling.ErrorMessage;
import org.pasarela.signaling.Hangup;
import org.pasarela.signaling.IceCandidate;
import org.pasarela.signaling.Incoming;

class IncomingCallTest {
    private static final Duration ACK_GUARD = Duration.ofSeconds(32);

    private static SendToSession hangup(String session, int code, String reason) {
        return new SendToSession(session, new Hangup("c7", code, reason));
    }

    private static SendToSession ack(String session, String id) {
        return new SendToSession(session, new Ack(id, "c7"));
    }

    @Test
    void startsByAllocatingMedia() {
        IncomingCall call = new IncomingCall(IncomingFixtures.setup(IncomingFixtures.ataOffer(), SESSIONS,
                DtmfMode.INFO));
        assertThat(call.start()).containsExactly(new AllocateMedia());
        assertThat(call.state()).isEqualTo(IncomingState.ALLOCATING);
    }

    @Test
    void ringsTheCallerAndEverySessionInOrderOnceMediaIsBound() {
        IncomingCall call = IncomingFixtures.allocating(IncomingFixtures.ataOffer(), SESSIONS);
        List<CallAction> actions = call.handle(new MediaAllocated(LOCAL), T0);

        Incoming incoming = IncomingFixtures.incomingIn(actions);
        assertThat(actions).containsExactly(new SendRinging(),
                new StartTimer(CallTimer.RING_TIMEOUT, Duration.ofSeconds(60)),
                new SendToSession("s1", incoming), new SendToSession("s2", incoming),
                new SendToSession("s3", incoming));
        assertThat(incoming).extracting(Incoming::call, Incoming::from, Incoming::fromName, Incoming::to,
                Incoming::profile).containsExactly("c7", "sip:1000@example.org", "Alice", "sip:alice@example.org",
                "pbx");
        assertThat(incoming.jsep().sdp()).contains("a=ice-lite").contains("a=setup:actpass")
                .contains("m=audio 40000 UDP/TLS/RTP/SAVPF 0 8 101").doesNotContain("G729");
        assertThat(call.state()).isEqualTo(IncomingState.RINGING);
    }

    @Test
    void abortWhileRingingTellsEverySessionNotToldYetAndAnswersTheCaller500() {
        IncomingCall call = IncomingFixtures.ringing();
        call.handle(new SessionRejected("s1", "r1", false), T0);

        assertThat(call.abort("internal error")).containsExactly(
                hangup("s2", 500, "internal error"), hangup("s3", 500, "internal error"),
                new SendFinalResponse(500, "Server Internal Error", null), new ReleaseMedia(), new Finish());
        assertThat(call.state()).isEqualTo(IncomingState.ENDED);
        assertThat(call.abort("again")).isEmpty();
    }

    @Test
    void abortOfAnAnsweredCallEndsTheDialogWithBye() {
        IncomingCall call = IncomingFixtures.confirmed();

        List<CallAction> actions = call.abort("internal error");
        assertThat(actions).contains(new SendBye(), new ReleaseMedia(), new Finish());
        assertThat(ofType(actions, SendFinalResponse.class)).isEmpty();
    }

    @Test
    void firstAcceptWinsAndTheOtherSessionsHearAnsweredElsewhere() {
        IncomingCall call = IncomingFixtures.ringing();
        List<CallAction> actions = call.handle(new SessionAccepted("s2", "a1", chromiumAnswer()), T0);

        SendFinalResponse ok = ofType(actions, SendFinalResponse.class).get(0);
        StartMedia media = ofType(actions, StartMedia.class).get(0);
        assertThat(actions).containsExactly(ack("s2", "a1"), new CancelTimer(CallTimer.RING_TIMEOUT), ok, media,
                new StartTimer(CallTimer.ACK_GUARD, ACK_GUARD),
                hangup("s1", 200, "answered elsewhere"), hangup("s3", 200, "answered elsewhere"));
        assertThat(ok.code()).isEqualTo(200);
        assertThat(ok.sdp()).contains("m=audio 30000 RTP/AVP 0 101").contains("c=IN IP4 203.0.113.10")
                .doesNotContain("ice-ufrag");
        assertThat(media.browser().iceUfrag()).isEqualTo("yhX/");
        assertThat(media.browser().gatewaySetup()).isEqualTo(DtlsSetup.PASSIVE);
        assertThat(media.answer().sipMedia().address()).isEqualTo("192.168.1.50");
        assertThat(media.answer().sipMedia().rtpPort()).isEqualTo(16384);
        assertThat(media.answer().codec().encoding()).isEqualTo("PCMU");
        assertThat(media.answer().telephoneEvent()).isPresent();
        assertThat(media.local()).isEqualTo(LOCAL);
        assertThat(call.winner()).isEqualTo("s2");
        assertThat(call.state()).isEqualTo(IncomingState.ACCEPTED);
    }

    @Test
    void givesTheRelayTheOfferTheBrowserReceivedAsTheGatewaysWebRtcDescription() {
        IncomingCall call = IncomingFixtures.accepted();
        assertThat(org.pasarela.sdp.SdpWriter.write(call.answer().webrtcAnswer())).contains("a=setup:actpass")
                .contains("a=ice-ufrag:gwUfrag1");
    }

    @Test
    void refusesASecondAcceptWith409AnsweredElsewhere() {
        IncomingCall call = IncomingFixtures.accepted();
        List<CallAction> actions = call.handle(new SessionAccepted("s1", "b1", chromiumAnswer()), T0);
        ErrorMessage error = (ErrorMessage) sentTo("s1", actions).get(0);
        assertThat(actions).hasSize(1);
        assertThat(error.code()).isEqualTo(409);
        assertThat(error.id()).isEqualTo("b1");
        assertThat(error.reason()).isEqualTo("accept: call c7 was answered elsewhere");
    }

    @Test
    void refusesTheSameSessionAcceptingTwice() {
        IncomingCall call = IncomingFixtures.accepted();
        List<CallAction> actions = call.handle(new SessionAccepted("s2", "a2", chromiumAnswer()), T0);
        assertThat(((ErrorMessage) sentTo("s2", actions).get(0)).reason())
                .isEqualTo("accept: this session already accepted call c7; use hangup to end it");
        assertThat(ofType(actions, SendFinalResponse.class)).isEmpty();
    }

    @Test
    void answersAnUnusableBrowserAnswerWith488AndKeepsRinging() {
        IncomingCall call = IncomingFixtures.ringing();
        String opusOnly = chromiumAnswer().replace("SAVPF 0 101", "SAVPF 111");
        List<CallAction> actions = call.handle(new SessionAccepted("s1", "a1", opusOnly), T0);

        ErrorMessage error = (ErrorMessage) sentTo("s1", actions).get(0);
        assertThat(actions).hasSize(1);
        assertThat(error.code()).isEqualTo(488);
        assertThat(error.reason()).startsWith("accept: jsep.sdp: browser answer keeps none of the offered codecs");
        assertThat(call.state()).isEqualTo(IncomingState.RINGING);
        assertThat(ofType(call.handle(new SessionAccepted("s1", "a2", chromiumAnswer()), T0), SendFinalResponse.class))
                .extracting(SendFinalResponse::code).containsExactly(200);
    }

    @Test
    void answersAnAnswerThatIsNotSdpWith488() {
        IncomingCall call = IncomingFixtures.ringing();
        List<CallAction> actions = call.handle(new SessionAccepted("s1", "a1", "hello"), T0);
        assertThat(((ErrorMessage) sentTo("s1", actions).get(0)).code()).isEqualTo(488);
        assertThat(call.state()).isEqualTo(IncomingState.RINGING);
    }

    @Test
    void tellsTheWinnerAnsweredWithoutJsepWhenTheCallerAcks() {
        IncomingCall call = IncomingFixtures.accepted();
        assertThat(call.handle(new SipAcked(null), T0)).containsExactly(new CancelTimer(CallTimer.ACK_GUARD),
                new SendToSession("s2", Answered.confirmed("c7")));
        assertThat(call.state()).isEqualTo(IncomingState.CONFIRMED);
        assertThat(call.handle(new SipAcked(null), T0)).as("a retransmitted ACK").isEmpty();
    }

    @Test
    void rejectByOneSessionHangsUpOnlyThatSession() {
        IncomingCall call = IncomingFixtures.ringing();
        assertThat(call.handle(new SessionRejected("s1", "r1", false), T0))
                .containsExactly(ack("s1", "r1"), hangup("s1", 486, "rejected"));
        assertThat(call.state()).isEqualTo(IncomingState.RINGING);
    }

    @Test
    void answersBusyHereWhenTheLastRingingSessionRejects() {
        IncomingCall call = IncomingFixtures.ringing();
        call.handle(new SessionRejected("s1", "r1", false), T0);
        call.handle(new SessionLeft("s2"), T0);
        assertThat(call.handle(new SessionRejected("s3", null, false), T0)).containsExactly(
                hangup("s3", 486, "rejected"), new CancelTimer(CallTimer.RING_TIMEOUT),
                new SendFinalResponse(486, "Busy Here", null), new ReleaseMedia(), new Finish());
        assertThat(call.state()).isEqualTo(IncomingState.ENDED);
    }

    @Test
    void declinesAtOnceWhenRejectedEverywhere() {
        IncomingCall call = IncomingFixtures.ringing();
        assertThat(call.handle(new SessionRejected("s2", "r1", true), T0)).containsExactly(
                ack("s2", "r1"), hangup("s2", 486, "rejected"), new CancelTimer(CallTimer.RING_TIMEOUT),
                new SendFinalResponse(603, "Decline", null), hangup("s1", 603, "declined elsewhere"),
                hangup("s3", 603, "declined elsewhere"), new ReleaseMedia(), new Finish());
    }

    @Test
    void hangsUpEveryRingingSessionWhenTheCallerCancels() {
        IncomingCall call = IncomingFixtures.ringing();
        call.handle(new SessionRejected("s1", null, false), T0);
        assertThat(call.handle(new SipCancelled(), T0)).containsExactly(new CancelTimer(CallTimer.RING_TIMEOUT),
                hangup("s2", 487, "cancelled by caller"), hangup("s3", 487, "cancelled by caller"),
                new ReleaseMedia(), new Finish());
    }

    @Test
    void answersTemporarilyUnavailableAndTells408WhenNobodyAnswersInTime() {
        IncomingCall call = IncomingFixtures.ringing();
        assertThat(call.handle(new TimerFired(CallTimer.RING_TIMEOUT), T0)).containsExactly(
                new CancelTimer(CallTimer.RING_TIMEOUT), new SendFinalResponse(480, "Temporarily Unavailable", null),
                hangup("s1", 408, "no answer within 60 s"), hangup("s2", 408, "no answer within 60 s"),
                hangup("s3", 408, "no answer within 60 s"), new ReleaseMedia(), new Finish());
    }

    @Test
    void answersTemporarilyUnavailableWhenEverySessionLeavesOrHangsUp() {
        IncomingCall call = IncomingFixtures.ringing();
        assertThat(call.handle(new SessionLeft("s1"), T0)).isEmpty();
        assertThat(call.handle(new SessionHungUp("s2", "h1"), T0))
                .containsExactly(ack("s2", "h1"), hangup("s2", 487, "cancelled by client"));
        assertThat(ofType(call.handle(new SessionLeft("s3"), T0), SendFinalResponse.class))
                .containsExactly(new SendFinalResponse(480, "Temporarily Unavailable", null));
        assertThat(call.state()).isEqualTo(IncomingState.ENDED);
    }

    @Test
    void refusesAnAcceptAfterTheCallerCancelledWith409() {
        IncomingCall call = IncomingFixtures.ringing();
        call.handle(new SipCancelled(), T0);
        List<CallAction> actions = call.handle(new SessionAccepted("s1", "a1", chromiumAnswer()), T0);
        assertThat(((ErrorMessage) sentTo("s1", actions).get(0)).reason()).isEqualTo("accept: call c7 is over");
        assertThat(ofType(actions, SendFinalResponse.class)).isEmpty();
    }

    @Test
    void sendsByeWhenTheWinnerHangsUpAfterTheAck() {
        IncomingCall call = IncomingFixtures.confirmed();
        assertThat(call.handle(new SessionHungUp("s2", "h1"), T0)).containsExactly(ack("s2", "h1"), new SendBye(),
                new ReleaseMedia(), new SendToSession("s2", Hangup.byClient("c7")),
                new StartTimer(CallTimer.BYE_GUARD, ACK_GUARD));
        assertThat(call.handle(new SipByeCompleted(), T0))
                .containsExactly(new CancelTimer(CallTimer.BYE_GUARD), new Finish());
    }

    @Test
    void waitsForTheAckBeforeSendingByeWhenTheWinnerHangsUpEarly() {
        IncomingCall call = IncomingFixtures.accepted();
        assertThat(call.handle(new SessionHungUp("s2", "h1"), T0)).containsExactly(ack("s2", "h1"),
                new ReleaseMedia(), new SendToSession("s2", Hangup.byClient("c7")));
        assertThat(call.handle(new SipAcked(null), T0)).containsExactly(new CancelTimer(CallTimer.ACK_GUARD),
                new SendBye(), new StartTimer(CallTimer.BYE_GUARD, ACK_GUARD));
        assertThat(call.state()).isEqualTo(IncomingState.ENDING);
    }

    @Test
    void sendsByeWithoutMessagesWhenTheWinnersWebSocketCloses() {
        IncomingCall call = IncomingFixtures.confirmed();
        assertThat(call.handle(new SessionLeft("s2"), T0)).containsExactly(new SendBye(), new ReleaseMedia(),
                new StartTimer(CallTimer.BYE_GUARD, ACK_GUARD));
    }

    @Test
    void endsTheCallWhenTheCallersByeOvertakesItsAck() {
        IncomingCall call = IncomingFixtures.accepted();
        assertThat(call.handle(new SipByeReceived(), T0)).containsExactly(new CancelTimer(CallTimer.ACK_GUARD),
                new ReleaseMedia(), new SendToSession("s2", Hangup.byRemoteParty("c7")), new Finish());
        assertThat(call.handle(new SipAcked(null), T0)).isEmpty();
    }

    @Test
    void endsWithByeWhenTheCallerNeverAcks() {
        IncomingCall call = IncomingFixtures.accepted();
        assertThat(call.handle(new TimerFired(CallTimer.ACK_GUARD), T0)).containsExactly(new ReleaseMedia(),
                hangup("s2", 408, "the caller did not confirm the answer (no ACK within 32 s)"), new SendBye(),
                new StartTimer(CallTimer.BYE_GUARD, ACK_GUARD));
    }

    @Test
    void givesTheWinnerTheOutboundHangupWhenTheCallerSendsBye() {
        IncomingCall call = IncomingFixtures.confirmed();
        assertThat(call.handle(new SipByeReceived(), T0)).containsExactly(new ReleaseMedia(),
                new SendToSession("s2", Hangup.byRemoteParty("c7")), new Finish());
    }

    @Test
    void endsWithByeAnd408WhenTheBrowsersMediaIsLost() {
        IncomingCall call = IncomingFixtures.confirmed();
        assertThat(call.handle(new MediaLost("no ICE consent for 30 s"), T0)).containsExactly(new SendBye(),
                new ReleaseMedia(), hangup("s2", 408, "media lost: no ICE consent for 30 s"),
                new StartTimer(CallTimer.BYE_GUARD, ACK_GUARD));
    }

    @Test
    void answersAHoldReinviteInTheConfirmedDialogLikeAnOutboundCall() {
        IncomingCall call = IncomingFixtures.confirmed();
        List<CallAction> actions = call.handle(
                new SipReoffered(CallFixtures.resource("sdp/sip/ata-hold-reinvite.sdp")), T0);
        AnswerReoffer answer = ofType(actions, AnswerReoffer.class).get(0);
        assertThat(answer.code()).isEqualTo(200);
        assertThat(answer.sdp()).contains("m=audio 30000 RTP/AVP 0").contains("a=recvonly")
                .contains("o=- 1234567890 2 IN IP4");
        assertThat(ofType(actions, UpdateMedia.class)).hasSize(1);
    }

    @Test
    void refusesAReinviteBeforeTheAckWith491() {
        IncomingCall call = IncomingFixtures.accepted();
        assertThat(call.handle(new SipReoffered(IncomingFixtures.ataOffer()), T0))
                .containsExactly(new AnswerReoffer(491, null, "the call is not confirmed yet"));
    }

    @Test
    void sendsTheWinnersDtmfTheProfilesWayOnceConfirmed() {
        IncomingCall call = IncomingFixtures.confirmed();
        assertThat(call.handle(new SessionDtmf("s2", "d1", "12#", 100), T0))
                .containsExactly(new SendDtmfInfo("12#", 100), ack("s2", "d1"));
    }

    @Test
    void refusesDtmfBeforeTheAckAndFromSessionsThatLost() {
        IncomingCall call = IncomingFixtures.accepted();
        assertThat(((ErrorMessage) sentTo("s2", call.handle(new SessionDtmf("s2", "d1", "1", 100), T0)).get(0))
                .code()).isEqualTo(409);
        assertThat(((ErrorMessage) sentTo("s1", call.handle(new SessionDtmf("s1", "d2", "1", 100), T0)).get(0))
                .code()).isEqualTo(404);
    }

    @Test
    void keepsTheWinnersTrickledCandidates() {
        IncomingCall call = IncomingFixtures.accepted();
        IceCandidate candidate = new IceCandidate("candidate:1 1 udp 1 192.0.2.2 5000 typ host", "0", 0, null);
        assertThat(call.handle(new SessionCandidate("s2", "k1", candidate), T0)).containsExactly(ack("s2", "k1"));
        assertThat(call.handle(new SessionCandidate("s2", null, null), T0)).isEmpty();
        assertThat(call.remoteCandidates()).containsExactly(candidate);
    }

    @Test
    void refusesAnOfferWithoutACodecBrowsersHaveWith488BeforeRingingAnyone() {
        String g729 = "v=0\r\no=- 1 1 IN IP4 192.0.2.5\r\ns=-\r\nc=IN IP4 192.0.2.5\r\nt=0 0\r\n"
                + "m=audio 5004 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n";
        IncomingCall call = IncomingFixtures.allocating(g729, SESSIONS);
        assertThat(call.handle(new MediaAllocated(LOCAL), T0)).containsExactly(
                new SendFinalResponse(488, "Not Acceptable Here", null), new ReleaseMedia(), new Finish());
    }

    @Test
    void answersServiceUnavailableWhenNoMediaPortsAreLeft() {
        IncomingCall call = IncomingFixtures.allocating(IncomingFixtures.ataOffer(), SESSIONS);
        assertThat(call.handle(new MediaFailed("port range exhausted"), T0))
                .containsExactly(new SendFinalResponse(503, "Service Unavailable", null), new Finish());
    }

    @Test
    void tellsTheCallerWhenToTryAgainWhenTheRelayKnows() {
        IncomingCall call = IncomingFixtures.allocating(IncomingFixtures.ataOffer(), SESSIONS);
        assertThat(call.handle(new MediaFailed("media relay saturated", 3), T0))
                .containsExactly(new SendFinalResponse(503, "Service Unavailable", null, 3), new Finish());
    }

    @Test
    void aRetryAfterGoesOnlyOnARefusal() {
        assertThatThrownBy(() -> new SendFinalResponse(200, null, "v=0", 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a 200 response cannot say retry after 3 s");
        assertThatThrownBy(() -> new SendFinalResponse(488, null, null, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a 488 response cannot say retry after 3 s");
        assertThatThrownBy(() -> new SendFinalResponse(503, null, null, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MediaFailed("x", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void releasesMediaThatArrivesAfterTheCallerCancelled() {
        IncomingCall call = IncomingFixtures.allocating(IncomingFixtures.ataOffer(), SESSIONS);
        assertThat(call.handle(new SipCancelled(), T0)).containsExactly(new Finish());
        assertThat(call.handle(new MediaAllocated(LOCAL), T0)).containsExactly(new ReleaseMedia());
    }

    @Test
    void ringsOnlyTheSessionsThatAreStillThereWhenMediaIsBound() {
        IncomingCall call = IncomingFixtures.allocating(IncomingFixtures.ataOffer(), SESSIONS);
        call.handle(new SessionLeft("s1"), T0);
        List<CallAction> actions = call.handle(new MediaAllocated(LOCAL), T0);
        assertThat(ofType(actions, SendToSession.class)).extracting(SendToSession::session)
                .containsExactly("s2", "s3");
    }

    @Test
    void answersTemporarilyUnavailableWhenEverySessionLeavesBeforeRinging() {
        IncomingCall call = IncomingFixtures.allocating(IncomingFixtures.ataOffer(), List.of("s1"));
        assertThat(call.handle(new SessionLeft("s1"), T0))
                .containsExactly(new SendFinalResponse(480, "Temporarily Unavailable", null), new Finish());
    }

    @Test
    void offersTheBrowserTheProfilesCodecsWhenTheInviteHasNoSdp() {
        IncomingCall call = IncomingFixtures.ringing(null);
        assertThat(call.state()).isEqualTo(IncomingState.RINGING);
        IncomingCall fresh = IncomingFixtures.allocating(null, SESSIONS);
        Incoming incoming = IncomingFixtures.incomingIn(fresh.handle(new MediaAllocated(LOCAL), T0));
        assertThat(incoming.jsep().sdp()).contains("m=audio 40000 UDP/TLS/RTP/SAVPF 0 8 96")
                .contains("a=rtpmap:96 telephone-event/8000");
    }

    @Test
    void putsTheGatewaysOfferInThe200AndTakesTheCallersAnswerFromTheAckForALateOffer() {
        IncomingCall call = IncomingFixtures.ringing(null);
        List<CallAction> accepted = call.handle(new SessionAccepted("s1", "a1", chromiumAnswer(96)), T0);
        SendFinalResponse ok = ofType(accepted, SendFinalResponse.class).get(0);
        assertThat(ok.sdp()).contains("m=audio 30000 RTP/AVP 0 96").contains("a=rtpmap:96 telephone-event/8000")
                .contains("a=sendrecv");
        assertThat(ofType(accepted, StartMedia.class).get(0).answer().sipMedia()).isEqualTo(LateOffer.AWAITING_ANSWER);

        List<CallAction> acked = call.handle(new SipAcked(CallFixtures.asteriskAnswer()), T0);
        BridgedAnswer media = ofType(acked, UpdateMedia.class).get(0).answer();
        assertThat(media.sipMedia().address()).isEqualTo("203.0.113.10");
        assertThat(media.sipMedia().rtpPort()).isEqualTo(17264);
        assertThat(media.telephoneEvent().orElseThrow().browserPayloadType()).isEqualTo(96);
        assertThat(media.telephoneEvent().orElseThrow().sipPayloadType()).isEqualTo(101);
        assertThat(acked).endsWith(new SendToSession("s1", Answered.confirmed("c7")));
        assertThat(call.answer()).isEqualTo(media);
    }

    @Test
    void endsALateOfferCallWith488WhenTheAckHasNoAnswer() {
        IncomingCall call = IncomingFixtures.ringing(null);
        call.handle(new SessionAccepted("s1", "a1", chromiumAnswer(96)), T0);
        assertThat(call.handle(new SipAcked(null), T0)).containsExactly(new CancelTimer(CallTimer.ACK_GUARD),
                new SendBye(), new ReleaseMedia(), hangup("s1", 488, "the caller's ACK carries no SDP answer"),
                new StartTimer(CallTimer.BYE_GUARD, ACK_GUARD));
    }

    @Test
    void answersRequestsFromASessionTheCallWasNeverOfferedToWith404() {
        IncomingCall call = IncomingFixtures.ringing();
        assertThat(((ErrorMessage) sentTo("s9", call.handle(new SessionAccepted("s9", "a1", chromiumAnswer()), T0))
                .get(0)).code()).isEqualTo(404);
        assertThat(((ErrorMessage) sentTo("s9", call.handle(new SessionHungUp("s9", "h1"), T0)).get(0)).code())
                .isEqualTo(404);
    }

    @Test
    void refusesASetupWithoutSessionsOrWithRepeatedOnes() {
        assertThatThrownBy(() -> IncomingFixtures.setup(null, List.of(), DtmfMode.INFO))
                .hasMessageContaining("no session to ring");
        assertThatThrownBy(() -> IncomingFixtures.setup(null, List.of("s1", "s1"), DtmfMode.INFO))
                .hasMessageContaining("repeat a name");
    }
}

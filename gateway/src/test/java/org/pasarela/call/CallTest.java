package org.pasarela.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pasarela.call.CallFixtures.T0;
import static org.pasarela.call.CallFixtures.ofType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pasarela.call.CallAction.CancelTimer;
import org.pasarela.call.CallAction.Finish;
import org.pasarela.call.CallAction.ReleaseMedia;
import org.pasarela.call.CallAction.SendAck;
import org.pasarela.call.CallAction.SendBye;
import org.pasarela.call.CallAction.SendCancel;
import org.pasarela.call.CallAction.SendDtmfInfo;
import org.pasarela.call.CallAction.SendInvite;
import org.pasarela.call.CallAction.SendToBrowser;
import org.pasarela.call.CallAction.StartTimer;
import org.pasarela.call.CallEvent.BrowserCandidate;
import org.pasarela.call.CallEvent.BrowserDtmf;
import org.pasarela.call.CallEvent.BrowserHungUp;
import org.pasarela.call.CallEvent.MediaAllocated;
import org.pasarela.call.CallEvent.MediaFailed;
import org.pasarela.call.CallEvent.SipAnswered;
import org.pasarela.call.CallEvent.SipByeCompleted;
import org.pasarela.call.CallEvent.SipByeReceived;
import org.pasarela.call.CallEvent.SipFailed;
import org.pasarela.call.CallEvent.SipProvisional;
import org.pasarela.call.CallEvent.TimerFired;
import org.pasarela.call.CallEvent.WebSocketClosed;
import org.pasarela.config.DtmfMode;
import org.pasarela.sdp.SdpParser;
import org.pasarela.signaling.Ack;
import org.pasarela.signaling.Answered;
import org.pasarela.signaling.ErrorMessage;
import org.pasarela.signaling.Hangup;
import org.pasarela.signaling.IceCandidate;
import org.pasarela.signaling.Progress;
import org.pasarela.signaling.Ringing;
import org.pasarela.signaling.ServerMessage;

class CallTest {
    private static List<ServerMessage> toBrowser(List<CallAction> actions) {
        return ofType(actions, SendToBrowser.class).stream().map(SendToBrowser::message).toList();
    }

    @Test
    void startsByAllocatingMediaAndNothingElse() {
        Call call = CallFixtures.newCall(DtmfMode.INFO);
        assertThat(call.start()).containsExactly(new CallAction.AllocateMedia());
        assertThat(call.state()).isEqualTo(CallState.ALLOCATING);
    }

    @Test
    void acknowledgesTheRequestThenSendsAPlainRtpInviteAndArmsTheNoAnswerTimer() {
        Call call = CallFixtures.newCall(DtmfMode.INFO);
        call.start();
        List<CallAction> actions = call.handle(new MediaAllocated(CallFixtures.LOCAL), T0);

        assertThat(actions.get(0)).isEqualTo(new SendToBrowser(new Ack("req-1", "c1")));
        SendInvite invite = (SendInvite) actions.get(1);
        assertThat(invite.sdp()).contains("m=audio 30000 RTP/AVP").contains("c=IN IP4 203.0.113.10")
                .doesNotContain("a=ice-ufrag").doesNotContain("a=fingerprint").doesNotContain("a=group:BUNDLE");
        assertThat(invite.fromUser()).isEqualTo("alice");
        assertThat(actions.get(2)).isEqualTo(new StartTimer(CallTimer.NO_ANSWER, CallFixtures.NO_ANSWER));
        assertThat(call.state()).isEqualTo(CallState.INVITING);
    }

    @Test
    void refusesAnOfferWithNoCodecInCommonWith488AndReleasesTheMedia() {
        Call call = new Call(new CallSetup("c1", "req-1",
                org.pasarela.config.SipProfile.builder("g729", org.pasarela.config.SipUri.parse("sip:192.0.2.1"))
                        .codecs(List.of("G729")).dtmf(DtmfMode.NONE).build(),
                org.pasarela.config.SipUri.parse("sip:1000@192.0.2.1"), "alice",
                SdpParser.parse(CallFixtures.chromiumOffer()), CallFixtures.NO_ANSWER));
        call.start();
        List<CallAction> actions = call.handle(new MediaAllocated(CallFixtures.LOCAL), T0);

        assertThat(actions).hasSize(3);
        assertThat(actions.get(0)).isEqualTo(new ReleaseMedia());
        ErrorMessage error = (ErrorMessage) ((SendToBrowser) actions.get(1)).message();
        assertThat(error.id()).isEqualTo("req-1");
        assertThat(error.code()).isEqualTo(488);
        assertThat(error.reason()).startsWith("jsep.sdp: ").contains("G729");
        assertThat(actions.get(2)).isEqualTo(new Finish());
        assertThat(call.state()).isEqualTo(CallState.ENDED);
    }

    @Test
    void reportsExhaustedPortsAs503ToTheCallRequest() {
        Call call = CallFixtures.newCall(DtmfMode.INFO);
        call.start();
        List<CallAction> actions = call.handle(new MediaFailed("no free UDP ports"), T0);
        assertThat(toBrowser(actions)).containsExactly(new ErrorMessage("req-1", null, 503, "no free UDP ports"));
        assertThat(actions).endsWith(new Finish());
    }

    @Test
    void tellsTheBrowserWhenSaturatedMediaThreadsMayTakeCallsAgain() {
        Call call = CallFixtures.newCall(DtmfMode.INFO);
        call.start();
        List<CallAction> actions = call.handle(new MediaFailed("media threads saturated", 3), T0);
        assertThat(toBrowser(actions))
                .containsExactly(new ErrorMessage("req-1", null, 503, "media threads saturated", 3));
        assertThat(actions).endsWith(new Finish());
    }

    @Test
    void ignoresTrying() {
        Call call = CallFixtures.inviting();
        assertThat(call.handle(new SipProvisional(100, "Trying", null), T0)).isEmpty();
        assertThat(call.state()).isEqualTo(CallState.INVITING);
    }

    @Test
    void tellsTheBrowserRingingOnceForRepeated180s() {
        Call call = CallFixtures.inviting();
        assertThat(toBrowser(call.handle(new SipProvisional(180, "Ringing", null), T0)))
                .containsExactly(new Ringing("c1"));
        assertThat(call.handle(new SipProvisional(180, "Ringing", null), T0)).isEmpty();
        assertThat(call.state()).isEqualTo(CallState.RINGING);
    }

    @Test
    void forwardsEarlyMediaAsAPranswerWithTheGatewaysIceAndDtls() {
        Call call = CallFixtures.inviting();
        List<ServerMessage> sent = toBrowser(call.handle(
                new SipProvisional(183, "Session Progress", CallFixtures.earlyMediaAnswer()), T0));
        Progress progress = (Progress) sent.get(0);
        assertThat(progress.jsep().type()).isEqualTo("pranswer");
        assertThat(progress.jsep().sdp()).contains("a=ice-ufrag:gwUfrag1").contains("a=fingerprint:sha-256 ")
                .contains("UDP/TLS/RTP/SAVPF");
        assertThat(call.state()).isEqualTo(CallState.EARLY_MEDIA);
    }

    @Test
    void sessionProgressWithoutSdpIsProgressWithoutJsep() {
        Call call = CallFixtures.inviting();
        assertThat(toBrowser(call.handle(new SipProvisional(183, "Session Progress", null), T0)))
                .containsExactly(new Progress("c1", null));
    }

    @Test
    void answersTheBrowserAndAcksWhenTheFarEndAnswers() {
        Call call = CallFixtures.ringing();
        List<CallAction> actions = call.handle(new SipAnswered(CallFixtures.asteriskAnswer()), T0);

        assertThat(actions).startsWith(new CancelTimer(CallTimer.NO_ANSWER), new SendAck());
        Answered answered = (Answered) toBrowser(actions).get(0);
        assertThat(answered.jsep().type()).isEqualTo("answer");
        assertThat(answered.jsep().sdp()).contains("a=setup:passive").contains("a=ice-pwd:gwPasswordGwPasswordGw1")
                .contains("m=audio 40000 UDP/TLS/RTP/SAVPF");
        assertThat(call.state()).isEqualTo(CallState.ANSWERED);
        assertThat(call.answer()).isNotNull();
    }

    @Test
    void reAcksARetransmitted2xx() {
        Call call = CallFixtures.answered();
        assertThat(call.handle(new SipAnswered(CallFixtures.asteriskAnswer()), T0)).containsExactly(new SendAck());
    }

    @Test
    void hangsUpWith488AndByeWhenThe2xxHasNoSdp() {
        Call call = CallFixtures.ringing();
        List<CallAction> actions = call.handle(new SipAnswered(null), T0);
        assertThat(actions).contains(new SendAck(), new SendBye(), new ReleaseMedia());
        assertThat(toBrowser(actions)).containsExactly(new Hangup("c1", 488, "SIP answer has no SDP"));
        assertThat(call.state()).isEqualTo(CallState.ENDING);
    }

    @Test
    void hangsUpWith488WhenThe2xxSdpIsGarbage() {
        Call call = CallFixtures.ringing();
        List<CallAction> actions = call.handle(new SipAnswered("this is not SDP"), T0);
        Hangup hangup = (Hangup) toBrowser(actions).get(0);
        assertThat(hangup.code()).isEqualTo(488);
        assertThat(hangup.reason()).startsWith("SIP answer SDP cannot be used: ");
        assertThat(actions).contains(new SendBye());
    }

    @Test
    void mapsAFinalFailureToHangupWithTheSipCodeAndReason() {
        Call call = CallFixtures.ringing();
        List<CallAction> actions = call.handle(new SipFailed(486, "Busy Here"), T0);
        assertThat(actions).containsExactly(new CancelTimer(CallTimer.NO_ANSWER), new ReleaseMedia(),
                new SendToBrowser(new Hangup("c1", 486, "Busy Here")), new Finish());
        assertThat(call.state()).isEqualTo(CallState.ENDED);
    }

    @Test
    void cancelsInviteWhenBrowserHangsUpWhileRinging() {
        Call call = CallFixtures.ringing();
        List<CallAction> actions = call.handle(new BrowserHungUp("req-2"), T0);
        assertThat(actions).containsExactly(new SendToBrowser(new Ack("req-2", "c1")),
                new CancelTimer(CallTimer.NO_ANSWER), new SendCancel(),
                new StartTimer(CallTimer.CANCEL_GUARD, Call.TRANSACTION_GUARD), new ReleaseMedia(),
                new SendToBrowser(new Hangup("c1", 487, "cancelled by client")));
        assertThat(call.state()).isEqualTo(CallState.CANCELLING);

        assertThat(call.handle(new SipFailed(487, "Request Terminated"), T0))
                .containsExactly(new CancelTimer(CallTimer.CANCEL_GUARD), new Finish());
        assertThat(call.state()).isEqualTo(CallState.ENDED);
    }

    @Test
    void waitsForAProvisionalBeforeCancellingAsRfc3261Section91Requires() {
        Call call = CallFixtures.inviting();
        List<CallAction> hangup = call.handle(new BrowserHungUp(null), T0);
        assertThat(hangup).doesNotContain(new SendCancel());
        assertThat(call.state()).isEqualTo(CallState.CANCELLING);

        assertThat(call.handle(new SipProvisional(100, "Trying", null), T0)).containsExactly(new SendCancel());
        assertThat(call.handle(new SipProvisional(180, "Ringing", null), T0)).isEmpty();
    }

    @Test
    void endsADialogThatAnsweredDespiteTheCancel() {
        Call call = CallFixtures.ringing();
        call.handle(new BrowserHungUp(null), T0);
        List<CallAction> actions = call.handle(new SipAnswered(CallFixtures.asteriskAnswer()), T0);
        assertThat(actions).contains(new SendAck(), new SendBye());
        assertThat(toBrowser(actions)).isEmpty(); // the browser already has its one hangup
        assertThat(call.state()).isEqualTo(CallState.ENDING);
        assertThat(call.handle(new SipByeCompleted(), T0)).endsWith(new Finish());
    }

    @Test
    void sendsByeAndConfirmsWhenBrowserHangsUpAfterAnswer() {
        Call call = CallFixtures.answered();
        List<CallAction> actions = call.handle(new BrowserHungUp("req-3"), T0);
        assertThat(actions).containsExactly(new SendToBrowser(new Ack("req-3", "c1")), new SendBye(),
                new ReleaseMedia(), new SendToBrowser(new Hangup("c1", 200, "hung up by client")),
                new StartTimer(CallTimer.BYE_GUARD, Call.TRANSACTION_GUARD));
        assertThat(call.handle(new SipByeCompleted(), T0))
                .containsExactly(new CancelTimer(CallTimer.BYE_GUARD), new Finish());
    }

    @Test
    void endsWithoutWaitingForeverWhenByeGetsNoAnswer() {
        Call call = CallFixtures.answered();
        call.handle(new BrowserHungUp(null), T0);
        assertThat(call.handle(new TimerFired(CallTimer.BYE_GUARD), T0)).containsExactly(new Finish());
        assertThat(call.state()).isEqualTo(CallState.ENDED);
    }

    @Test
    void closedWebSocketSendsByeWithoutWritingToTheBrowser() {
        Call call = CallFixtures.answered();
        List<CallAction> actions = call.handle(new WebSocketClosed(), T0);
        assertThat(actions).contains(new SendBye(), new ReleaseMedia());
        assertThat(toBrowser(actions)).isEmpty();
    }

    @Test
    void closedWebSocketWhileRingingCancels() {
        Call call = CallFixtures.ringing();
        List<CallAction> actions = call.handle(new WebSocketClosed(), T0);
        assertThat(actions).contains(new SendCancel(), new ReleaseMedia());
        assertThat(toBrowser(actions)).isEmpty();
    }

    @Test
    void byeFromSipEndsTheBrowsersCall() {
        Call call = CallFixtures.answered();
        assertThat(call.handle(new SipByeReceived(), T0)).containsExactly(new ReleaseMedia(),
                new SendToBrowser(Hangup.byRemoteParty("c1")), new Finish());
        assertThat(call.state()).isEqualTo(CallState.ENDED);
    }

    @Test
    void noAnswerTimerCancelsAndTellsTheBrowser408() {
        Call call = CallFixtures.ringing();
        List<CallAction> actions = call.handle(new TimerFired(CallTimer.NO_ANSWER), T0);
        assertThat(actions).contains(new SendCancel(), new ReleaseMedia());
        assertThat(toBrowser(actions)).containsExactly(new Hangup("c1", 408, "no answer within 60 s"));
        assertThat(call.state()).isEqualTo(CallState.CANCELLING);
        assertThat(call.handle(new TimerFired(CallTimer.CANCEL_GUARD), T0)).containsExactly(new Finish());
    }

    @Test
    void staleTimersAfterTheOutcomeDoNothing() {
        Call call = CallFixtures.answered();
        assertThat(call.handle(new TimerFired(CallTimer.NO_ANSWER), T0)).isEmpty();
        assertThat(call.handle(new TimerFired(CallTimer.CANCEL_GUARD), T0)).isEmpty();
        assertThat(call.state()).isEqualTo(CallState.ANSWERED);
    }

    @Test
    void sendsEveryCallExactlyOneHangupWhateverArrivesAfterwards() {
        Call call = CallFixtures.ringing();
        long hangups = 0;
        hangups += countHangups(call.handle(new BrowserHungUp(null), T0));
        hangups += countHangups(call.handle(new BrowserHungUp(null), T0));
        hangups += countHangups(call.handle(new SipFailed(487, "Request Terminated"), T0));
        hangups += countHangups(call.handle(new SipByeReceived(), T0));
        hangups += countHangups(call.handle(new SipFailed(500, "late"), T0));
        assertThat(hangups).isEqualTo(1);
    }

    private static long countHangups(List<CallAction> actions) {
        return toBrowser(actions).stream().filter(Hangup.class::isInstance).count();
    }

    @Test
    void keepsTrickledCandidatesUntilEndOfCandidates() {
        Call call = CallFixtures.inviting();
        IceCandidate host = new IceCandidate("candidate:1 1 udp 2122260223 192.0.2.7 50000 typ host", "0", 0, null);
        assertThat(call.handle(new BrowserCandidate("r", host), T0))
                .containsExactly(new SendToBrowser(new Ack("r", "c1")));
        assertThat(call.handle(new BrowserCandidate(null, null), T0)).isEmpty();
        call.handle(new BrowserCandidate(null, host), T0);
        assertThat(call.remoteCandidates()).containsExactly(host);
        assertThat(call.remoteCandidatesComplete()).isTrue();
    }

    @Test
    void sendsDtmfAsSipInfoWhenTheProfileSaysInfo() {
        Call call = CallFixtures.answered();
        assertThat(call.handle(new BrowserDtmf("d1", "12#", 120), T0))
                .containsExactly(new SendDtmfInfo("12#", 120), new SendToBrowser(new Ack("d1", "c1")));
    }

    @Test
    void refusesDtmfBeforeTheAnswer() {
        Call call = CallFixtures.ringing();
        ErrorMessage error = (ErrorMessage) toBrowser(call.handle(new BrowserDtmf("d1", "1", 100), T0)).get(0);
        assertThat(error.code()).isEqualTo(409);
        assertThat(error.reason()).contains("RINGING");
    }

    @Test
    void sendsRfc4733DigitsInTheMediaStreamWhenTheProfileSaysSo() {
        Call call = CallFixtures.newCall(DtmfMode.RFC4733);
        call.start();
        call.handle(new MediaAllocated(CallFixtures.LOCAL), T0);
        call.handle(new SipAnswered(CallFixtures.asteriskAnswer()), T0);
        assertThat(call.handle(new BrowserDtmf("d1", "1#", 100), T0))
                .containsExactly(new CallAction.SendDtmfEvents("1#", 100), new SendToBrowser(new Ack("d1", "c1")));
    }

    @Test
    void startsTheRelayBeforeTellingTheBrowserItIsAnswered() {
        Call call = CallFixtures.ringing();
        List<CallAction> actions = call.handle(new SipAnswered(CallFixtures.asteriskAnswer()), T0);
        int start = indexOf(actions, CallAction.StartMedia.class);
        int answered = actions.indexOf(toBrowserMessage(actions, Answered.class));
        assertThat(start).isNotNegative().isLessThan(answered);
        CallAction.StartMedia media = (CallAction.StartMedia) actions.get(start);
        assertThat(media.local()).isEqualTo(CallFixtures.LOCAL);
        assertThat(media.answer()).isEqualTo(call.answer());
    }

    @Test
    void earlyMediaStartsTheRelayAndTheAnswerOnlyUpdatesIt() {
        Call call = CallFixtures.inviting();
        List<CallAction> early = call.handle(
                new SipProvisional(183, "Session Progress", CallFixtures.earlyMediaAnswer()), T0);
        assertThat(ofType(early, CallAction.StartMedia.class)).hasSize(1);
        List<CallAction> answered = call.handle(new SipAnswered(CallFixtures.asteriskAnswer()), T0);
        assertThat(ofType(answered, CallAction.StartMedia.class)).isEmpty();
        assertThat(ofType(answered, CallAction.UpdateMedia.class)).hasSize(1);
    }

    @Test
    void endsTheCallWithByeWhenTheBrowsersMediaIsLost() {
        Call call = CallFixtures.answered();
        List<CallAction> actions = call.handle(new CallEvent.MediaLost("no ICE consent for 30 s"), T0);
        assertThat(actions).contains(new SendBye(), new ReleaseMedia());
        assertThat(toBrowser(actions)).containsExactly(new Hangup("c1", 408, "media lost: no ICE consent for 30 s"));
        assertThat(call.state()).isEqualTo(CallState.ENDING);
    }

    @Test
    void cancelsWhenTheBrowsersMediaIsLostDuringEarlyMedia() {
        Call call = CallFixtures.inviting();
        call.handle(new SipProvisional(183, "Session Progress", CallFixtures.earlyMediaAnswer()), T0);
        List<CallAction> actions = call.handle(new CallEvent.MediaLost("DTLS handshake failed"), T0);
        assertThat(actions).contains(new SendCancel(), new ReleaseMedia());
        assertThat(call.state()).isEqualTo(CallState.CANCELLING);
    }

    private static int indexOf(List<CallAction> actions, Class<?> type) {
        for (int i = 0; i < actions.size(); i++) {
            if (type.isInstance(actions.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static SendToBrowser toBrowserMessage(List<CallAction> actions, Class<?> messageType) {
        return ofType(actions, SendToBrowser.class).stream().filter(s -> messageType.isInstance(s.message()))
                .findFirst().orElseThrow();
    }

    @Test
    void aSecondMediaAllocationIsABugNotBadInput() {
        Call call = CallFixtures.inviting();
        assertThatThrownBy(() -> call.handle(new MediaAllocated(CallFixtures.LOCAL), T0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("INVITING");
    }

    private static String holdOffer(String direction, String formats) {
        return "v=0\r\no=asterisk 1 2 IN IP4 192.0.2.50\r\ns=-\r\nc=IN IP4 192.0.2.50\r\nt=0 0\r\n"
                + "m=audio 17000 RTP/AVP " + formats + "\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=" + direction + "\r\n";
    }

    @Test
    void answersAHoldReInviteRecvonlyWithTheCallsCodecAndAHigherVersion() {
        Call call = CallFixtures.answered();
        List<CallAction> actions = call.handle(new CallEvent.SipReoffered(holdOffer("sendonly", "8 0 101")), T0);
        assertThat(actions.get(0)).isInstanceOf(CallAction.UpdateMedia.class); // the relay follows the far end
        CallAction.AnswerReoffer answer = ofType(actions, CallAction.AnswerReoffer.class).get(0);
        assertThat(answer.code()).isEqualTo(200);
        var sdp = SdpParser.parse(answer.sdp());
        assertThat(sdp.origin().sessionVersion()).isEqualTo("2");
        assertThat(sdp.media().get(0).formats()).containsExactly("0", "101");
        assertThat(answer.sdp()).contains("a=recvonly").doesNotContain("a=sendrecv").contains("c=IN IP4 203.0.113.10");
        assertThat(call.answer().sipMedia().address()).isEqualTo("192.0.2.50");
        assertThat(call.answer().sipMedia().rtpPort()).isEqualTo(17000);
    }

    @Test
    void refusesAReInviteThatDropsTheCallsCodecWith488() {
        Call call = CallFixtures.answered();
        CallAction.AnswerReoffer answer = (CallAction.AnswerReoffer) call.handle(
                new CallEvent.SipReoffered(holdOffer("sendrecv", "8")), T0).get(0);
        assertThat(answer.code()).isEqualTo(488);
        assertThat(answer.reason()).contains("PCMU/8000");
        assertThat(call.state()).isEqualTo(CallState.ANSWERED);
    }

    @Test
    void offersItsMediaAgainForAReInviteWithoutSdp() {
        Call call = CallFixtures.answered();
        CallAction.AnswerReoffer answer = (CallAction.AnswerReoffer) call.handle(
                new CallEvent.SipReoffered(null), T0).get(0);
        assertThat(answer.code()).isEqualTo(200);
        assertThat(answer.sdp()).contains("m=audio 30000 RTP/AVP");
    }

    @Test
    void answers491ToAReInviteWhileItsOwnInviteIsPending() {
        Call call = CallFixtures.ringing();
        assertThat(call.handle(new CallEvent.SipReoffered(holdOffer("sendrecv", "0")), T0))
                .containsExactly(new CallAction.AnswerReoffer(491, null, "our INVITE is still pending"));
    }
}

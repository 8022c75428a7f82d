package org.pasarela.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pasarela.call.CallFixtures.T0;
import static org.pasarela.call.CallFixtures.ofType;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pasarela.call.CallAction.AnswerReoffer;
import org.pasarela.call.CallAction.CancelTimer;
import org.pasarela.call.CallAction.HoldMedia;
import org.pasarela.call.CallAction.ReleaseMedia;
import org.pasarela.call.CallAction.SendBye;
import org.pasarela.call.CallAction.SendRefer;
import org.pasarela.call.CallAction.SendReinvite;
import org.pasarela.call.CallAction.SendToBrowser;
import org.pasarela.call.CallAction.StartTimer;
import org.pasarela.call.CallAction.UpdateMedia;
import org.pasarela.call.CallEvent.BrowserHold;
import org.pasarela.call.CallEvent.BrowserTransfer;
import org.pasarela.call.CallEvent.SipReferAccepted;
import org.pasarela.call.CallEvent.SipReferFailed;
import org.pasarela.call.CallEvent.SipReferProgress;
import org.pasarela.call.CallEvent.SipReinviteAnswered;
import org.pasarela.call.CallEvent.SipReoffered;
import org.pasarela.call.CallEvent.TimerFired;
import org.pasarela.config.SipUri;
import org.pasarela.sdp.SdpParser;
import org.pasarela.sdp.SessionDescription;
import org.pasarela.signaling.Ack;
import org.pasarela.signaling.ErrorMessage;
import org.pasarela.signaling.Hangup;
import org.pasarela.signaling.ServerMessage;
import org.pasarela.signaling.TransferFailed;

/** Hold, resume and blind transfer of an answered outbound call (CallControl through Call). */
class CallHoldTransferTest {
    private static final SipUri TARGET = SipUri.parse("sip:2000@192.0.2.1:5060");

    private static List<ServerMessage> toBrowser(List<CallAction> actions) {
        return ofType(actions, SendToBrowser.class).stream().map(SendToBrowser::message).toList();
    }

    private static SessionDescription reinviteOffer(List<CallAction> actions) {
        return SdpParser.parse(ofType(actions, SendReinvite.class).get(0).sdp());
    }

    /** The far end's answer to our offer: its address and port as given, the direction it chose. */
    private static String farAnswer(String direction, String address) {
        return "v=0\r\no=- 1699994410 1699994413 IN IP4 203.0.113.10\r\ns=Asterisk\r\nc=IN IP4 " + address
                + "\r\nt=0 0\r\nm=audio 17264 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=" + direction + "\r\n";
    }

    private static String farOffer(String direction) {
        return "v=0\r\no=asterisk 1 5 IN IP4 192.0.2.50\r\ns=-\r\nc=IN IP4 192.0.2.50\r\nt=0 0\r\n"
                + "m=audio 17000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\na=" + direction + "\r\n";
    }

    private static Call held() {
        Call call = CallFixtures.answered();
        call.handle(new BrowserHold("h1", true), T0);
        call.handle(new SipReinviteAnswered(200, farAnswer("recvonly", "203.0.113.10")), T0);
        return call;
    }

    @Test
    void holdsWithASendonlyReInviteOfTheLastSdpWithTheCallsCodecAndTheNextVersion() {
        Call call = CallFixtures.answered();
        List<CallAction> actions = call.handle(new BrowserHold("h1", true), T0);

        assertThat(actions).hasSize(1); // nothing to the browser until the far end agreed
        SessionDescription offer = reinviteOffer(actions);
        assertThat(offer.origin().sessionId()).isEqualTo("1234567890");
        assertThat(offer.origin().sessionVersion()).isEqualTo("2");
        assertThat(offer.media()).hasSize(1);
        assertThat(offer.media().get(0).port()).isEqualTo(30000);
        assertThat(offer.media().get(0).formats()).containsExactly("0", "126"); // our own numbering (RFC 3264 §8.3.2)
        assertThat(offer.media().get(0).direction()).contains(org.pasarela.sdp.Direction.SENDONLY);
        assertThat(ofType(actions, SendReinvite.class).get(0).sdp()).doesNotContain("a=sendrecv")
                .doesNotContain("PCMA").contains("c=IN IP4 203.0.113.10");
    }

    @Test
    void acknowledgesTheHoldOnlyWhenTheFarEndAcceptedAndThenStopsTheBrowsersAudio() {
        Call call = CallFixtures.answered();
        call.handle(new BrowserHold("h1", true), T0);
        List<CallAction> actions = call.handle(new SipReinviteAnswered(200, farAnswer("recvonly", "203.0.113.10")),
                T0);

        assertThat(actions.get(0)).isInstanceOf(UpdateMedia.class);
        assertThat(actions).contains(new HoldMedia(true));
        assertThat(toBrowser(actions)).containsExactly(new Ack("h1", "c1"));
        assertThat(call.held()).isTrue();
    }

    @Test
    void resumesWithSendrecvAndAVersionAboveTheHolds() {
        Call call = held();
        List<CallAction> actions = call.handle(new BrowserHold("u1", false), T0);
        SessionDescription offer = reinviteOffer(actions);
        assertThat(offer.origin().sessionVersion()).isEqualTo("3");
        assertThat(offer.media().get(0).direction()).contains(org.pasarela.sdp.Direction.SENDRECV);

        List<CallAction> answered = call.handle(new SipReinviteAnswered(200, farAnswer("sendrecv", "203.0.113.10")),
                T0);
        assertThat(answered).contains(new HoldMedia(false));
        assertThat(toBrowser(answered)).containsExactly(new Ack("u1", "c1"));
        assertThat(call.held()).isFalse();
    }

    @Test
    void holdsInactiveWhenTheFarEndAlreadyHoldsTheCall() {
        Call call = CallFixtures.answered();
        call.handle(new SipReoffered(farOffer("sendonly")), T0); // the far end put us on hold first
        SessionDescription offer = reinviteOffer(call.handle(new BrowserHold("h1", true), T0));
        assertThat(offer.media().get(0).direction()).contains(org.pasarela.sdp.Direction.INACTIVE);
        assertThat(offer.origin().sessionVersion()).isEqualTo("3"); // 2 went into the answer to its re-INVITE
    }

    @Test
    void aHeldCallAnswersTheFarEndsRefreshWithoutAcceptingMediaTowardTheGateway() {
        Call call = held();
        AnswerReoffer answer = ofType(call.handle(new SipReoffered(farOffer("sendrecv")), T0),
                AnswerReoffer.class).get(0);
        assertThat(answer.code()).isEqualTo(200);
        assertThat(answer.sdp()).contains("a=sendonly").doesNotContain("a=sendrecv");
    }

    @Test
    void acknowledgesAHoldOfAHeldCallAtOnceWithoutAReInvite() {
        Call call = held();
        assertThat(call.handle(new BrowserHold("h2", true), T0))
                .containsExactly(new SendToBrowser(new Ack("h2", "c1")));
    }

    @Test
    void refusesHoldBeforeTheAnswerAndWhileAnotherIsPendingWith409() {
        Call ringing = CallFixtures.ringing();
        assertThat(toBrowser(ringing.handle(new BrowserHold("h1", true), T0))).containsExactly(new ErrorMessage(
                "h1", "c1", 409, "hold: call is RINGING, hold needs an answered call"));

        Call call = CallFixtures.answered();
        call.handle(new BrowserHold("h1", true), T0);
        ErrorMessage error = (ErrorMessage) toBrowser(call.handle(new BrowserHold("u1", false), T0)).get(0);
        assertThat(error.code()).isEqualTo(409);
        assertThat(error.reason()).contains("still pending");
    }

    @Test
    void answers491ToTheFarEndsReInviteWhileItsOwnIsPending() {
        Call call = CallFixtures.answered();
        call.handle(new BrowserHold("h1", true), T0);
        assertThat(call.handle(new SipReoffered(farOffer("sendrecv")), T0))
                .containsExactly(new AnswerReoffer(491, null, "the gateway's own re-INVITE is pending"));
    }

    @Test
    void retriesOnceAfterGlareWithinTheCallIdOwnersWaitThenReports491() {
        Call call = CallFixtures.answered();
        call.handle(new BrowserHold("h1", true), T0);
        List<CallAction> glare = call.handle(new SipReinviteAnswered(491, null), T0);
        StartTimer wait = ofType(glare, StartTimer.class).get(0);
        assertThat(wait.timer()).isEqualTo(CallTimer.REINVITE_RETRY);
        assertThat(wait.after()).isBetween(Duration.ofMillis(2100), Duration.ofMillis(4000));
        assertThat(wait.after().toMillis() % 10).isZero();
        assertThat(toBrowser(glare)).isEmpty();

        SessionDescription again = reinviteOffer(call.handle(new TimerFired(CallTimer.REINVITE_RETRY), T0));
        assertThat(again.origin().sessionVersion()).isEqualTo("2"); // the refused offer never counted

        ErrorMessage error = (ErrorMessage) toBrowser(call.handle(new SipReinviteAnswered(491, null), T0)).get(0);
        assertThat(error.code()).isEqualTo(491);
        assertThat(error.id()).isEqualTo("h1");
        assertThat(call.held()).isFalse();
        assertThat(call.state()).isEqualTo(CallState.ANSWERED);
    }

    @Test
    void reportsARefusedReInviteAndKeepsTheCallAsItWas() {
        Call call = CallFixtures.answered();
        call.handle(new BrowserHold("h1", true), T0);
        List<CallAction> actions = call.handle(new SipReinviteAnswered(488, null), T0);
        assertThat(toBrowser(actions)).containsExactly(new ErrorMessage("h1", "c1", 488,
                "hold: the far end answered the re-INVITE with 488 Not Acceptable Here"));
        assertThat(actions).noneMatch(a -> a instanceof HoldMedia || a instanceof SendBye);
        assertThat(call.state()).isEqualTo(CallState.ANSWERED);
        assertThat(reinviteOffer(call.handle(new BrowserHold("h2", true), T0)).origin().sessionVersion())
                .isEqualTo("2");
    }

    @Test
    void endsTheCallWhenTheReInviteTimesOutBecauseTheDialogIsGone() {
        Call call = CallFixtures.answered();
        call.handle(new BrowserHold("h1", true), T0);
        List<CallAction> actions = call.handle(new SipReinviteAnswered(408, null), T0);
        assertThat(toBrowser(actions)).containsExactly(
                new ErrorMessage("h1", "c1", 408, "hold: the far end answered the re-INVITE with 408 Request Timeout"),
                new Hangup("c1", 408, "the SIP dialog is gone (408 to a re-INVITE)"));
        assertThat(actions).contains(new SendBye(), new ReleaseMedia());
        assertThat(call.state()).isEqualTo(CallState.ENDING);
    }

    @Test
    void endsTheCallWith488WhenTheReInviteAnswerCannotBeUsed() {
        Call call = CallFixtures.answered();
        call.handle(new BrowserHold("h1", true), T0);
        String noCodec = farAnswer("recvonly", "203.0.113.10").replace("0 101", "8").replace("0 PCMU", "8 PCMA");
        List<CallAction> actions = call.handle(new SipReinviteAnswered(200, noCodec), T0);
        assertThat(toBrowser(actions).get(1)).isInstanceOf(Hangup.class);
        assertThat(((Hangup) toBrowser(actions).get(1)).code()).isEqualTo(488);
        assertThat(call.state()).isEqualTo(CallState.ENDING);
    }

    @Test
    void ignoresARetransmittedReInviteAnswer() {
        Call call = held();
        assertThat(call.handle(new SipReinviteAnswered(200, farAnswer("recvonly", "203.0.113.10")), T0)).isEmpty();
    }

    // ---- transfer ----

    @Test
    void transfersWithReferAndAcknowledgesOn202() {
        Call call = CallFixtures.answered();
        assertThat(call.handle(new BrowserTransfer("t1", TARGET), T0)).containsExactly(new SendRefer(TARGET));
        assertThat(call.handle(new SipReferAccepted(), T0)).containsExactly(
                new SendToBrowser(new Ack("t1", "c1")),
                new StartTimer(CallTimer.TRANSFER_GUARD, CallControl.TRANSFER_GUARD));
    }

    @Test
    void endsTheCallAsTransferredWhenTheNotifySays200() {
        Call call = CallFixtures.answered();
        call.handle(new BrowserTransfer("t1", TARGET), T0);
        call.handle(new SipReferAccepted(), T0);
        assertThat(call.handle(new SipReferProgress(100, "Trying", false), T0)).isEmpty();
        List<CallAction> actions = call.handle(new SipReferProgress(200, "OK", true), T0);
        assertThat(actions).contains(new CancelTimer(CallTimer.TRANSFER_GUARD), new SendBye(), new ReleaseMedia());
        assertThat(toBrowser(actions)).containsExactly(new Hangup("c1", 200, "transferred"));
        assertThat(call.state()).isEqualTo(CallState.ENDING);
    }

    @Test
    void reportsAFailedTransferAndTheCallGoesOn() {
        Call call = CallFixtures.answered();
        call.handle(new BrowserTransfer("t1", TARGET), T0);
        call.handle(new SipReferAccepted(), T0);
        List<CallAction> actions = call.handle(new SipReferProgress(603, "Decline", true), T0);
        assertThat(toBrowser(actions)).containsExactly(new TransferFailed("c1", 603, "Decline"));
        assertThat(call.state()).isEqualTo(CallState.ANSWERED);
        assertThat(call.handle(new BrowserTransfer("t2", TARGET), T0)).containsExactly(new SendRefer(TARGET));
    }

    @Test
    void aNotifyThatOvertakesThe202CountsAsTheAcceptance() {
        Call call = CallFixtures.answered();
        call.handle(new BrowserTransfer("t1", TARGET), T0);
        List<CallAction> actions = call.handle(new SipReferProgress(200, "OK", true), T0);
        assertThat(toBrowser(actions)).containsExactly(new Ack("t1", "c1"), new Hangup("c1", 200, "transferred"));
        assertThat(call.handle(new SipReferAccepted(), T0)).isEmpty();
    }

    @Test
    void reportsARefusedReferAsAnErrorWithTheSipCode() {
        Call call = CallFixtures.answered();
        call.handle(new BrowserTransfer("t1", TARGET), T0);
        assertThat(toBrowser(call.handle(new SipReferFailed(603, "Decline"), T0))).containsExactly(
                new ErrorMessage("t1", "c1", 603, "transfer: the far end refused the REFER with 603 Decline"));
        assertThat(call.state()).isEqualTo(CallState.ANSWERED);
    }

    @Test
    void refusesASecondTransferWhileOneIsUnderWayAndATransferBeforeTheAnswer() {
        Call call = CallFixtures.answered();
        call.handle(new BrowserTransfer("t1", TARGET), T0);
        assertThat(((ErrorMessage) toBrowser(call.handle(new BrowserTransfer("t2", TARGET), T0)).get(0)).code())
                .isEqualTo(409);
        assertThat(((ErrorMessage) toBrowser(CallFixtures.ringing().handle(new BrowserTransfer("t3", TARGET), T0))
                .get(0)).code()).isEqualTo(409);
    }

    @Test
    void reportsATransferWithoutOutcomeAs408WhenItsGuardFires() {
        Call call = CallFixtures.answered();
        call.handle(new BrowserTransfer("t1", TARGET), T0);
        call.handle(new SipReferAccepted(), T0);
        assertThat(toBrowser(call.handle(new TimerFired(CallTimer.TRANSFER_GUARD), T0))).containsExactly(
                new TransferFailed("c1", 408, "no outcome of the transfer within 120 s"));
        assertThat(call.state()).isEqualTo(CallState.ANSWERED);
    }
}

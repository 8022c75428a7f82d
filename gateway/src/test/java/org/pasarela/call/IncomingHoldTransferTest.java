package org.pasarela.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pasarela.call.CallFixtures.T0;
import static org.pasarela.call.CallFixtures.ofType;
import static org.pasarela.call.IncomingFixtures.sentTo;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pasarela.call.CallAction.HoldMedia;
import org.pasarela.call.CallAction.SendBye;
import org.pasarela.call.CallAction.SendRefer;
import org.pasarela.call.CallAction.SendReinvite;
import org.pasarela.call.CallAction.StartTimer;
import org.pasarela.call.CallEvent.SessionHold;
import org.pasarela.call.CallEvent.SessionTransfer;
import org.pasarela.call.CallEvent.SipReferAccepted;
import org.pasarela.call.CallEvent.SipReferProgress;
import org.pasarela.call.CallEvent.SipReinviteAnswered;
import org.pasarela.config.SipUri;
import org.pasarela.sdp.Direction;
import org.pasarela.sdp.SdpParser;
import org.pasarela.sdp.SessionDescription;
import org.pasarela.signaling.Ack;
import org.pasarela.signaling.ErrorMessage;
import org.pasarela.signaling.Hangup;

/** Hold and transfer of an accepted incoming call: the same CallControl, addressed to the winning session. */
class IncomingHoldTransferTest {
    private static final SipUri TARGET = SipUri.parse("sip:2000@192.0.2.1:5060");

    private static String ataAnswer(String direction) {
        return "v=0\r\no=- 1 3 IN IP4 192.0.2.80\r\ns=-\r\nc=IN IP4 192.0.2.80\r\nt=0 0\r\n"
                + "m=audio 16450 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na="
                + direction + "\r\n";
    }

    @Test
    void holdsTheCallerWithTheLastAnswerSentAsSendonlyAndAcksTheWinner() {
        IncomingCall call = IncomingFixtures.confirmed();
        List<CallAction> actions = call.handle(new SessionHold("s2", "h1", true), T0);
        SessionDescription offer = SdpParser.parse(ofType(actions, SendReinvite.class).get(0).sdp());
        assertThat(offer.media().get(0).direction()).contains(Direction.SENDONLY);
        assertThat(Long.parseLong(offer.origin().sessionVersion()))
                .isEqualTo(CallFixtures.LOCAL.sessionVersion() + 1);

        List<CallAction> answered = call.handle(new SipReinviteAnswered(200, ataAnswer("recvonly")), T0);
        assertThat(answered).contains(new HoldMedia(true));
        assertThat(sentTo("s2", answered)).containsExactly(new Ack("h1", "c7"));
        assertThat(call.held()).isTrue();
    }

    @Test
    void refusesHoldFromALosingSessionAsUnknownAndBeforeTheAckAs409() {
        IncomingCall accepted = IncomingFixtures.accepted();
        ErrorMessage early = (ErrorMessage) sentTo("s2", accepted.handle(new SessionHold("s2", "h1", true), T0))
                .get(0);
        assertThat(early.code()).isEqualTo(409);

        IncomingCall call = IncomingFixtures.confirmed();
        ErrorMessage other = (ErrorMessage) sentTo("s1", call.handle(new SessionHold("s1", "h1", true), T0)).get(0);
        assertThat(other.code()).isEqualTo(404);
    }

    @Test
    void waitsUpToTwoSecondsAfterGlareSinceTheCallerOwnsTheCallId() {
        IncomingCall call = IncomingFixtures.confirmed();
        call.handle(new SessionHold("s2", "h1", true), T0);
        StartTimer wait = ofType(call.handle(new SipReinviteAnswered(491, null), T0), StartTimer.class).get(0);
        assertThat(wait.after()).isBetween(Duration.ZERO, Duration.ofMillis(2000));
    }

    @Test
    void aTransferredIncomingCallEndsWithBye() {
        IncomingCall call = IncomingFixtures.confirmed();
        assertThat(call.handle(new SessionTransfer("s2", "t1", TARGET), T0)).containsExactly(new SendRefer(TARGET));
        assertThat(sentTo("s2", call.handle(new SipReferAccepted(), T0))).containsExactly(new Ack("t1", "c7"));
        List<CallAction> done = call.handle(new SipReferProgress(200, "OK", true), T0);
        assertThat(done).contains(new SendBye());
        assertThat(sentTo("s2", done)).containsExactly(new Hangup("c7", 200, "transferred"));
        assertThat(call.state()).isEqualTo(IncomingState.ENDING);
    }
}

package org.pasarela.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pasarela.call.CallFixtures.T0;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pasarela.call.CallAction.ReleaseMedia;
import org.pasarela.call.CallAction.SendBye;
import org.pasarela.call.CallAction.SendToBrowser;
import org.pasarela.call.CallEvent.SipAnswered;
import org.pasarela.call.CallEvent.SipByeReceived;
import org.pasarela.signaling.Hangup;

/**
 * Second-review findings in the pure call core, each written as the behaviour the call should have. These fail on
 * the reviewed code (commit 5bf9a43); see the review report for the fix each one suggests.
 */
class CallRaceTest {

    /**
     * Finding: a BYE for the call that is handled while the call is still RINGING (JAIN-SIP delivers UDP messages on
     * a pool of 4 threads with REENTRANT_LISTENER=true, so a 200 and a BYE sent back-to-back can reach the lane in
     * either order; UDP itself may reorder) is dropped by {@code onByeReceived}. The 2xx that follows then moves the
     * call to ANSWERED, which nothing ever ends: the far end has hung up, the browser shows a live call, and the
     * media sockets stay bound until the browser hangs up.
     */
    @Test
    void byeHandledBeforeTheTwoHundredStillEndsTheCall() {
        Call call = CallFixtures.ringing();
        List<CallAction> actions = new ArrayList<>(call.handle(new SipByeReceived(), T0));
        actions.addAll(call.handle(new SipAnswered(CallFixtures.asteriskAnswer()), T0));

        assertThat(call.state()).as("the far end already sent BYE").isNotEqualTo(CallState.ANSWERED);
        assertThat(CallFixtures.ofType(actions, SendToBrowser.class)).extracting(SendToBrowser::message)
                .filteredOn(Hangup.class::isInstance).hasSize(1);
        assertThat(actions).contains(new ReleaseMedia());
    }

    /**
     * Finding: {@code onProvisional} drops 100 Trying before setting {@code provisionalSeen}, so a browser hangup (or
     * NO_ANSWER) after only a 100 never sends CANCEL. RFC 3261 §9.1 forbids CANCEL only before <em>any</em>
     * provisional response, and 100 is one; §17.1.1.2 stops Timer B in Proceeding, so nothing else ends the INVITE.
     * Through any proxy or PBX that sends 100 at once, the callee keeps ringing after the browser hung up, and a
     * later answer (after CANCEL_GUARD, once the leg is forgotten) is never ACKed or BYEd.
     */
    @Test
    void cancelsAfterHundredTryingWhenTheBrowserHangsUp() {
        Call call = CallFixtures.inviting();
        call.handle(new CallEvent.SipProvisional(100, "Trying", null), T0);

        List<CallAction> actions = call.handle(new CallEvent.BrowserHungUp("h1"), T0);

        assertThat(actions).contains(new CallAction.SendCancel());
    }

    /**
     * Finding: a 2xx without SDP after a 183 that carried an SDP answer is taken as "SIP answer has no SDP" and the
     * call is torn down with 488, although the early answer is already in force and many gateways send the 2xx bare
     * (RFC 6337 §3.1.1 wants it repeated, but a UAC that already accepted it has an answer: RFC 3261 §13.2.1).
     */
    @Test
    void bareTwoHundredAfterEarlyMediaKeepsTheEarlyAnswer() {
        Call call = CallFixtures.inviting();
        call.handle(new CallEvent.SipProvisional(183, "Session Progress", CallFixtures.earlyMediaAnswer()), T0);
        assertThat(call.state()).isEqualTo(CallState.EARLY_MEDIA);

        List<CallAction> actions = call.handle(new SipAnswered(null), T0);

        assertThat(actions).doesNotContain(new SendBye());
        assertThat(call.state()).isEqualTo(CallState.ANSWERED);
    }
}

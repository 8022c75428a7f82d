package org.pasarela.call;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.pasarela.bridge.BridgeException;
import org.pasarela.bridge.BridgedAnswer;
import org.pasarela.bridge.LateOffer;
import org.pasarela.bridge.LocalMedia;
import org.pasarela.bridge.SipToWebRtcOffer;
import org.pasarela.bridge.WebRtcAnswerToSip;
import org.pasarela.call.CallAction.AnswerReoffer;
import org.pasarela.call.CallAction.CancelTimer;
import org.pasarela.call.CallAction.Finish;
import org.pasarela.call.CallAction.ReleaseMedia;
import org.pasarela.call.CallAction.SendBye;
import org.pasarela.call.CallAction.SendFinalResponse;
import org.pasarela.call.CallAction.SendRinging;
import org.pasarela.call.CallAction.SendToSession;
import org.pasarela.call.CallAction.StartMedia;
import org.pasarela.call.CallAction.StartTimer;
import org.pasarela.call.CallAction.UpdateMedia;
import org.pasarela.call.CallEvent.MediaAllocated;
import org.pasarela.call.CallEvent.MediaConnected;
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
import org.pasarela.sdp.SdpException;
import org.pasarela.sdp.SdpParser;
import org.pasarela.sdp.SdpWriter;
import org.pasarela.sdp.SessionDescription;
import org.pasarela.signaling.Ack;
import org.pasarela.signaling.Answered;
import org.pasarela.signaling.ErrorCodes;
import org.pasarela.signaling.ErrorMessage;
import org.pasarela.signaling.Hangup;
import org.pasarela.signaling.IceCandidate;
import org.pasarela.signaling.Incoming;
import org.pasarela.signaling.Jsep;
import org.pasarela.signaling.ServerMessage;

/**
 * One incoming bridged call: the caller's INVITE server transaction and dialog on one side, the called user's
 * ringing sessions on the other (parallel ringing: the first {@code accept} that can be bridged wins). Events in,
 * actions out: no threads, no clock reads, no sockets.
 *
 * <p>States ({@link IncomingState}, RFC 3261 §13.3):
 * <ul>
 *   <li>{@code ALLOCATING}: media endpoints are being bound; the caller has heard only 100 Trying.</li>
 *   <li>{@code RINGING}: 180 sent, {@code incoming} sent to every session, ring timer running.</li>
 *   <li>{@code ACCEPTED}: a session won; 200 sent with SDP (the answer, or for a late offer the gateway's offer),
 *       media started, waiting for the ACK under the ACK guard. BYE must wait for the ACK (§15).</li>
 *   <li>{@code CONFIRMED}: ACK received, the winner got {@code answered}.</li>
 *   <li>{@code ENDING}: BYE sent; {@code ENDED}: over, resources released.</li>
 * </ul>
 *
 * <p>Every session the call was offered to gets exactly one {@code hangup}, unless its WebSocket closed first;
 * the winner that ends the call itself gets the {@code ack} of its request and then its {@code hangup}, as on an
 * outbound call. Requests from a session that already has its {@code hangup} get {@code error} 404 (409 for
 * {@code accept} and {@code reject}, which the user should read as "too late").
 *
 * <p>Not thread-safe; owned by its own lane.
 */
public final class IncomingCall {
    static final Duration ACK_GUARD = Call.TRANSACTION_GUARD; // 64*T1 (RFC 3261 §13.3.1.4)

    private final IncomingSetup setup;
    private IncomingState state = IncomingState.ALLOCATING;
    private LocalMedia local;
    /** The caller's offer, or for a late offer the stand-in the gateway made from the profile. */
    private SessionDescription sipOffer;
    private SipToWebRtcOffer.Result offer;
    private WebRtcAnswerToSip.Result accepted;
    private BridgedAnswer answer;
    /** The audio part of the last SDP sent toward SIP: the base of re-INVITE answers. */
    private SessionDescription ourSipSdp;
    private long sipSdpVersion;
    private final Set<String> ringing = new LinkedHashSet<>();
    /** Sessions this call sends nothing more to: they have their hangup, or their WebSocket is gone. */
    private final Set<String> done = new HashSet<>();
    private String winner;
    private boolean anyRejected;
    /** The winner is gone or hung up before the ACK: the BYE follows the ACK (RFC 3261 §15). */
    private boolean byeAfterAck;
    private boolean mediaConnected;
    private final TrickledCandidates remoteCandidates = new TrickledCandidates();
    /** Hold, resume, transfer and the caller's re-INVITEs, once confirmed; null before. */
    private CallControl control;

    public IncomingCall(IncomingSetup setup) {
        this.setup = setup;
    }

    public String id() {
        return setup.callId();
    }

    public IncomingSetup setup() {
        return setup;
    }

    public IncomingState state() {
        return state;
    }

    /** The session that accepted, or null while none has. */
    public String winner() {
        return winner;
    }

    /** The negotiated media once accepted; null before. */
    public BridgedAnswer answer() {
        return control != null ? control.answer() : answer;
    }

    /** Whether the caller accepted the winner's hold (and no unhold since). */
    public boolean held() {
        return control != null && control.held();
    }

    /** The winner's trickled candidates so far, for the media plane. */
    public List<IceCandidate> remoteCandidates() {
        return remoteCandidates.list();
    }

    /** Whether the browser's media came up (ICE, DTLS, SRTP), for logs and tests. */
    public boolean mediaConnected() {
        return mediaConnected;
    }

    /**
     * Drops a call whose handling broke an invariant (a bug, not bad input): each session not told yet gets a
     * {@code hangup} 500, the caller a 500 before the answer or a BYE after it, and the call's media is released.
     * Valid in any state; nothing happens after it.
     */
    public List<CallAction> abort(String reason) {
        List<CallAction> out = new ArrayList<>();
        if (state == IncomingState.ENDED) {
            return out;
        }
        for (String session : setup.sessions()) {
            if (!done.contains(session)) {
                out.add(tell(session, new Hangup(id(), ErrorCodes.INTERNAL_ERROR, reason)));
            }
        }
        if (state == IncomingState.ALLOCATING || state == IncomingState.RINGING) {
            out.add(new SendFinalResponse(500, "Server Internal Error", null));
        } else if (state == IncomingState.ACCEPTED || state == IncomingState.CONFIRMED) {
            out.add(new SendBye());
        }
        out.add(new ReleaseMedia());
        out.add(new Finish());
        state = IncomingState.ENDED; // from any state: the call is being torn down, not moved on
        return out;
    }

    /** The first actions of a new incoming call. */
    public List<CallAction> start() {
        return List.of(new CallAction.AllocateMedia());
    }

    public List<CallAction> handle(CallEvent event, Instant now) {
        if (event instanceof MediaAllocated e) return onMediaAllocated(e.local());
        if (event instanceof MediaFailed e) return onMediaFailed(e);
        if (event instanceof SessionAccepted e) return onAccepted(e);
        if (event instanceof SessionRejected e) return onRejected(e);
        if (event instanceof SessionHungUp e) return onHungUp(e);
        if (event instanceof SessionLeft e) return onLeft(e.session());
        if (event instanceof SessionCandidate e) return onCandidate(e);
        if (event instanceof SessionDtmf e) return onDtmf(e);
        if (event instanceof SipCancelled) return onCancelled();
        if (event instanceof SipAcked e) return onAcked(e.sdp());
        if (event instanceof SipByeReceived) return onByeReceived();
        if (event instanceof SipByeCompleted) return onByeCompleted();
        if (event instanceof SipReoffered e) return onReoffer(e.sdp());
        if (event instanceof TimerFired e) return onTimer(e.timer());
        if (event instanceof MediaConnected) {
            mediaConnected = true;
            return List.of();
        }
        if (event instanceof MediaLost e) return onMediaLost(e.reason());
        if (event instanceof CallEvent.SessionHold e) {
            String what = e.hold() ? "hold" : "unhold";
            return controlFor(e.session(), e.requestId(), what, () -> apply(control.hold(e.requestId(), e.hold()),
                    "re-INVITE failed"));
        }
        if (event instanceof CallEvent.SessionTransfer e) {
            return controlFor(e.session(), e.requestId(), "transfer",
                    () -> apply(control.transfer(e.requestId(), e.target()), "transferred"));
        }
        if (event instanceof CallEvent.SipReinviteAnswered e) {
            return ifConfirmed(() -> apply(control.reinviteAnswered(e.code(), e.sdp()),
                    "re-INVITE answered " + e.code()));
        }
        if (event instanceof CallEvent.SipReferAccepted) {
            return ifConfirmed(() -> apply(control.referAccepted(), "REFER accepted"));
        }
        if (event instanceof CallEvent.SipReferFailed e) {
            return ifConfirmed(() -> apply(control.referFailed(e.code(), e.reason()), "REFER failed"));
        }
        if (event instanceof CallEvent.SipReferProgress e) {
            return ifConfirmed(() -> apply(control.referProgress(e.code(), e.reason()), "transferred"));
        }
        throw new IllegalStateException("incoming call " + id() + ": unhandled event " + event + " in " + state);
    }

    // ---- media allocation ----

    private List<CallAction> onMediaAllocated(LocalMedia allocated) {
        if (state == IncomingState.ENDED) {
            return List.of(new ReleaseMedia()); // the caller or every session went away meanwhile
        }
        requireState(IncomingState.ALLOCATING, "media allocated");
        local = allocated;
        sipSdpVersion = allocated.sessionVersion();
        try {
            sipOffer = setup.lateOffer() ? LateOffer.standIn(setup.profile().codecs(), allocated)
                    : SdpParser.parse(setup.sipOfferSdp());
            offer = SipToWebRtcOffer.translate(sipOffer, setup.profile().codecs(), allocated);
        } catch (SdpException | BridgeException e) {
            moveTo(IncomingState.ENDED, "offer cannot be bridged: " + e.getMessage());
            return List.of(new SendFinalResponse(488, "Not Acceptable Here", null), new ReleaseMedia(),
                    new Finish());
        }
        for (String session : setup.sessions()) {
            if (!done.contains(session)) ringing.add(session); // some may have left while media was bound
        }
        moveTo(IncomingState.RINGING, "ringing " + ringing);
        Jsep jsep = Jsep.offer(SdpWriter.write(offer.webrtcOffer()));
        Incoming incoming = new Incoming(id(), setup.from(), setup.fromName(), setup.to(), setup.profile().name(),
                jsep);
        List<CallAction> out = new ArrayList<>();
        out.add(new SendRinging());
        out.add(new StartTimer(CallTimer.RING_TIMEOUT, setup.ringTimeout()));
        for (String session : ringing) {
            out.add(new SendToSession(session, incoming));
        }
        return out;
    }

    /**
     * 503, with Retry-After when the relay knows when it may have room again: a proxy in front of several gateways
     * then sends its next calls to another for that long (RFC 3261 §21.5.4), rather than to one that refuses them.
     */
    private List<CallAction> onMediaFailed(MediaFailed failure) {
        if (state == IncomingState.ENDED) {
            return List.of();
        }
        requireState(IncomingState.ALLOCATING, "media failed");
        moveTo(IncomingState.ENDED, "no media endpoints: " + failure.reason());
        return List.of(new SendFinalResponse(503, "Service Unavailable", null, failure.retryAfterSeconds()),
                new Finish());
    }

    // ---- the sessions ----

    private List<CallAction> onAccepted(SessionAccepted e) {
        String session = e.session();
        if (!isRinging(session)) {
            return List.of(refuse(session, e.requestId(), "accept"));
        }
        try {
            accepted = WebRtcAnswerToSip.translate(SdpParser.parse(e.sdp()), offer, sipOffer, local);
        } catch (SdpException | BridgeException bad) {
            // This session may try again with another answer while the call still rings.
            return List.of(new SendToSession(session, new ErrorMessage(e.requestId(), id(),
                    ErrorCodes.NOT_ACCEPTABLE_HERE, "accept: jsep.sdp: " + bad.getMessage())));
        }
        winner = session;
        ringing.remove(session);
        moveTo(IncomingState.ACCEPTED, "accepted by " + session);
        SessionDescription sdp200 = accepted.sipAnswer();
        ourSipSdp = sdp200.withMedia(List.of(sdp200.media().get(offer.sipAudioIndex())));
        // Late offer: media starts now so ICE and DTLS overlap the ACK; nothing goes to SIP until it answers.
        answer = new BridgedAnswer(offer.webrtcOffer(), setup.lateOffer() ? LateOffer.AWAITING_ANSWER
                : accepted.sipMedia(), accepted.codec(), accepted.telephoneEvent());
        List<CallAction> out = new ArrayList<>();
        ack(out, session, e.requestId());
        out.add(new CancelTimer(CallTimer.RING_TIMEOUT));
        out.add(new SendFinalResponse(200, null, SdpWriter.write(sdp200)));
        out.add(new StartMedia(accepted.browser(), answer, local));
        out.add(new StartTimer(CallTimer.ACK_GUARD, ACK_GUARD));
        for (String other : List.copyOf(ringing)) {
            out.add(tell(other, new Hangup(id(), ErrorCodes.OK, "answered elsewhere")));
        }
        ringing.clear();
        return out;
    }

    private List<CallAction> onRejected(SessionRejected e) {
        String session = e.session();
        if (!isRinging(session)) {
            return List.of(refuse(session, e.requestId(), "reject"));
        }
        anyRejected = true;
        ringing.remove(session);
        List<CallAction> out = new ArrayList<>();
        ack(out, session, e.requestId());
        out.add(tell(session, new Hangup(id(), 486, "rejected")));
        if (e.everywhere()) {
            out.addAll(endRinging(603, "Decline", 603, "declined elsewhere", "declined everywhere by " + session));
        } else if (ringing.isEmpty()) {
            out.addAll(endRinging(486, "Busy Here", 0, null, "rejected by the last ringing session"));
        }
        return out;
    }

    private List<CallAction> onHungUp(SessionHungUp e) {
        String session = e.session();
        List<CallAction> out = new ArrayList<>();
        if (isRinging(session)) {
            ringing.remove(session);
            ack(out, session, e.requestId());
            out.add(tell(session, new Hangup(id(), ErrorCodes.CANCELLED, "cancelled by client")));
            out.addAll(endIfNobodyRings());
            return out;
        }
        if (!isLiveWinner(session)) {
            return List.of(unknownCall(session, e.requestId()));
        }
        ack(out, session, e.requestId());
        out.addAll(endByWinner(Hangup.byClient(id()), "the winner hung up"));
        return out;
    }

    private List<CallAction> onLeft(String session) {
        if (state == IncomingState.ALLOCATING) {
            // Not offered yet: it simply will not ring. Nobody left to ring means nobody can answer.
            done.add(session);
            if (done.containsAll(setup.sessions())) {
                moveTo(IncomingState.ENDED, "every session left before ringing");
                return List.of(new SendFinalResponse(480, "Temporarily Unavailable", null), new Finish());
            }
            return List.of();
        }
        if (isRinging(session)) {
            ringing.remove(session);
            done.add(session);
            return endIfNobodyRings();
        }
        if (isLiveWinner(session)) {
            done.add(session);
            return endByWinner(null, "the winner's WebSocket closed");
        }
        return List.of();
    }

    private List<CallAction> onCandidate(SessionCandidate e) {
        String session = e.session();
        if (isLiveWinner(session)) {
            remoteCandidates.add(e.candidate());
        } else if (!isRinging(session)) {
            return List.of(unknownCall(session, e.requestId()));
        }
        // A ringing session's candidates belong to an answer not sent yet (or refused): nothing to keep.
        List<CallAction> out = new ArrayList<>(1);
        ack(out, session, e.requestId());
        return out;
    }

    private List<CallAction> onDtmf(SessionDtmf e) {
        String session = e.session();
        if (isLiveWinner(session) && state == IncomingState.CONFIRMED) {
            return DtmfDispatch.send(setup.profile(), answer(), id(), e.requestId(), e.digits(), e.durationMs(),
                    message -> new SendToSession(session, message));
        }
        if (isLiveWinner(session) || isRinging(session)) {
            return List.of(new SendToSession(session, new ErrorMessage(e.requestId(), id(), ErrorCodes.CONFLICT,
                    "dtmf: call is " + state + ", DTMF needs an answered call")));
        }
        return List.of(unknownCall(session, e.requestId()));
    }

    // ---- the caller's SIP side ----

    private List<CallAction> onCancelled() {
        return switch (state) {
            case ALLOCATING -> {
                moveTo(IncomingState.ENDED, "CANCEL before ringing");
                yield List.of(new Finish()); // the SIP edge answered 487 already
            }
            case RINGING -> endRinging(0, null, ErrorCodes.CANCELLED, "cancelled by caller", "CANCEL");
            default -> List.of(); // §9.2: a CANCEL after the final response changes nothing
        };
    }

    private List<CallAction> onAcked(String sdp) {
        if (state != IncomingState.ACCEPTED) {
            return List.of(); // a retransmitted ACK, or one for a dialog we already left
        }
        List<CallAction> out = new ArrayList<>();
        out.add(new CancelTimer(CallTimer.ACK_GUARD));
        if (byeAfterAck) {
            moveTo(IncomingState.ENDING, "ACK after the winner left");
            out.add(new SendBye());
            out.add(new StartTimer(CallTimer.BYE_GUARD, Call.TRANSACTION_GUARD));
            return out;
        }
        if (setup.lateOffer()) {
            String why = null;
            if (sdp == null) {
                why = "the caller's ACK carries no SDP answer";
            } else {
                try {
                    answer = LateOffer.answer(SdpParser.parse(sdp), accepted, offer.webrtcOffer());
                    out.add(new UpdateMedia(answer));
                } catch (SdpException | BridgeException e) {
                    why = "the caller's answer cannot be used: " + e.getMessage();
                }
            }
            if (why != null) {
                moveTo(IncomingState.ENDING, why);
                out.addAll(List.of(new SendBye(), new ReleaseMedia(),
                        tell(winner, new Hangup(id(), ErrorCodes.NOT_ACCEPTABLE_HERE, why)),
                        new StartTimer(CallTimer.BYE_GUARD, Call.TRANSACTION_GUARD)));
                return out;
            }
        }
        moveTo(IncomingState.CONFIRMED, "ACK");
        String session = winner;
        control = new CallControl(id(), false, message -> new SendToSession(session, message), accepted.sipAnswer(),
                ourSipSdp, answer, sipSdpVersion);
        out.add(new SendToSession(winner, Answered.confirmed(id())));
        return out;
    }

    private List<CallAction> onByeReceived() {
        switch (state) {
            case ALLOCATING -> {
                // A BYE on the early dialog (§15) before anyone was asked: end it like a CANCEL.
                moveTo(IncomingState.ENDED, "BYE before ringing");
                return List.of(new SendFinalResponse(487, "Request Terminated", null), new Finish());
            }
            case RINGING -> {
                return endRinging(487, "Request Terminated", ErrorCodes.CANCELLED, "cancelled by caller",
                        "BYE on the early dialog");
            }
            case ACCEPTED, CONFIRMED -> {
                // In ACCEPTED the BYE overtook its ACK: the dialog was confirmed and is over already.
                List<CallAction> out = new ArrayList<>();
                if (state == IncomingState.ACCEPTED) {
                    out.add(new CancelTimer(CallTimer.ACK_GUARD));
                }
                moveTo(IncomingState.ENDED, "BYE from the caller");
                out.add(new ReleaseMedia());
                if (!done.contains(winner)) {
                    out.add(tell(winner, Hangup.byRemoteParty(id())));
                }
                out.add(new Finish());
                return out;
            }
            default -> {
                return List.of(); // BYE glare while ENDING, or a BYE for a dialog we already left
            }
        }
    }

    private List<CallAction> onByeCompleted() {
        if (state != IncomingState.ENDING) {
            return List.of();
        }
        moveTo(IncomingState.ENDED, "BYE completed");
        return List.of(new CancelTimer(CallTimer.BYE_GUARD), new Finish());
    }

    /** RFC 3264 §8 inside the confirmed dialog, as on an outbound call. */
    private List<CallAction> onReoffer(String sdp) {
        if (state == IncomingState.ALLOCATING || state == IncomingState.RINGING
                || state == IncomingState.ACCEPTED) {
            // §14.2: the INVITE's own offer/answer is not complete yet.
            return List.of(new AnswerReoffer(491, null, "the call is not confirmed yet"));
        }
        if (state != IncomingState.CONFIRMED) {
            return List.of(new AnswerReoffer(481, null, "the call is ending"));
        }
        return control.reoffered(sdp);
    }

    // ---- hold, resume, transfer (CallControl) ----

    /** A winner's hold or transfer request, when the call is confirmed; 409 or 404 otherwise. */
    private List<CallAction> controlFor(String session, String requestId, String what,
                                        java.util.function.Supplier<List<CallAction>> step) {
        if (isLiveWinner(session) && state == IncomingState.CONFIRMED) {
            return step.get();
        }
        if (isLiveWinner(session) || isRinging(session)) {
            return List.of(new SendToSession(session, new ErrorMessage(requestId, id(), ErrorCodes.CONFLICT,
                    what + ": call is " + state + ", " + what + " needs an answered call")));
        }
        return List.of(unknownCall(session, requestId));
    }

    private List<CallAction> ifConfirmed(java.util.function.Supplier<List<CallAction>> step) {
        return state == IncomingState.CONFIRMED ? step.get() : List.of();
    }

    /** Runs a {@link CallControl} step; one that ends the call leaves the dialog with BYE. */
    private List<CallAction> apply(CallControl.Step step, String why) {
        if (step.end() == null) {
            return step.actions();
        }
        List<CallAction> out = new ArrayList<>(step.actions());
        out.add(new CancelTimer(CallTimer.REINVITE_RETRY));
        out.add(new CancelTimer(CallTimer.TRANSFER_GUARD));
        out.addAll(endByWinner(step.end(), why));
        return out;
    }

    // ---- media and timers ----

    private List<CallAction> onMediaLost(String reason) {
        if (!(state == IncomingState.CONFIRMED || state == IncomingState.ACCEPTED && !byeAfterAck)) {
            return List.of(); // not started, or already on the way out
        }
        Hangup hangup = done.contains(winner) ? null : new Hangup(id(), ErrorCodes.REQUEST_TIMEOUT,
                "media lost: " + reason);
        return endByWinner(hangup, "media lost: " + reason);
    }

    private List<CallAction> onTimer(CallTimer timer) {
        switch (timer) {
            case RING_TIMEOUT -> {
                if (state != IncomingState.RINGING) {
                    return List.of();
                }
                return endRinging(480, "Temporarily Unavailable", ErrorCodes.REQUEST_TIMEOUT,
                        "no answer within " + setup.ringTimeout().toSeconds() + " s", "ring timeout");
            }
            case ACK_GUARD -> {
                if (state != IncomingState.ACCEPTED) {
                    return List.of();
                }
                // §13.3.1.4: without an ACK the dialog is confirmed anyway, and the session is ended with BYE.
                List<CallAction> out = new ArrayList<>();
                if (!byeAfterAck) {
                    out.add(new ReleaseMedia());
                    if (!done.contains(winner)) {
                        out.add(tell(winner, new Hangup(id(), ErrorCodes.REQUEST_TIMEOUT,
                                "the caller did not confirm the answer (no ACK within "
                                        + ACK_GUARD.toSeconds() + " s)")));
                    }
                }
                moveTo(IncomingState.ENDING, "no ACK");
                out.add(new SendBye());
                out.add(new StartTimer(CallTimer.BYE_GUARD, Call.TRANSACTION_GUARD));
                return out;
            }
            case BYE_GUARD -> {
                if (state != IncomingState.ENDING) {
                    return List.of();
                }
                moveTo(IncomingState.ENDED, "no response to BYE");
                return List.of(new Finish());
            }
            case REINVITE_RETRY -> {
                return ifConfirmed(() -> apply(control.retry(), "re-INVITE failed"));
            }
            case TRANSFER_GUARD -> {
                return ifConfirmed(() -> apply(control.transferTimedOut(), "transfer"));
            }
            default -> {
                return List.of(); // an outbound call's timer cannot be armed here
            }
        }
    }

    // ---- endings ----

    /** The last ringing session left or hung up: 486 if someone rejected, else 480 (nobody could answer). */
    private List<CallAction> endIfNobodyRings() {
        if (!ringing.isEmpty()) {
            return List.of();
        }
        return anyRejected ? endRinging(486, "Busy Here", 0, null, "rejected, and nobody else rings")
                : endRinging(480, "Temporarily Unavailable", 0, null, "every ringing session left");
    }

    /**
     * Ends the call while it rings: the caller's final response ({@code sipCode} 0 when the SIP edge sent it
     * already), and {@code hangup} to every session still ringing ({@code hangupCode} 0 when none is expected).
     */
    private List<CallAction> endRinging(int sipCode, String sipReason, int hangupCode, String hangupReason,
                                        String why) {
        List<CallAction> out = new ArrayList<>();
        out.add(new CancelTimer(CallTimer.RING_TIMEOUT));
        if (sipCode != 0) {
            out.add(new SendFinalResponse(sipCode, sipReason, null));
        }
        for (String session : List.copyOf(ringing)) {
            out.add(tell(session, new Hangup(id(), hangupCode, hangupReason)));
        }
        ringing.clear();
        moveTo(IncomingState.ENDED, why);
        out.add(new ReleaseMedia());
        out.add(new Finish());
        return out;
    }

    /**
     * The accepted call ends from the browser's side (its hangup, its WebSocket, its media): BYE now, or after the
     * ACK when it has not come yet (§15). {@code hangup} is null when the winner cannot be told.
     */
    private List<CallAction> endByWinner(Hangup hangup, String why) {
        List<CallAction> out = new ArrayList<>();
        if (state == IncomingState.CONFIRMED) {
            moveTo(IncomingState.ENDING, why);
            out.add(new SendBye());
            out.add(new ReleaseMedia());
            if (hangup != null) out.add(tell(winner, hangup));
            out.add(new StartTimer(CallTimer.BYE_GUARD, Call.TRANSACTION_GUARD));
        } else {
            byeAfterAck = true;
            out.add(new ReleaseMedia());
            if (hangup != null) out.add(tell(winner, hangup));
        }
        return out;
    }

    // ---- helpers ----

    private boolean isRinging(String session) {
        return state == IncomingState.RINGING && ringing.contains(session);
    }

    /** The winner, while it can still be told things (its hangup not sent, its WebSocket open) and before ENDING. */
    private boolean isLiveWinner(String session) {
        return session.equals(winner) && !done.contains(session)
                && (state == IncomingState.ACCEPTED || state == IncomingState.CONFIRMED);
    }

    /** An accept or reject that comes too late, twice, or from a session the call was never offered to. */
    private CallAction refuse(String session, String requestId, String what) {
        if (!setup.sessions().contains(session)) {
            return unknownCall(session, requestId);
        }
        String why;
        if (session.equals(winner) && !done.contains(session)) {
            why = what + ": this session already accepted call " + id() + "; use hangup to end it";
        } else if (winner != null && !session.equals(winner)) {
            why = what + ": call " + id() + " was answered elsewhere";
        } else if (state == IncomingState.ALLOCATING) {
            why = what + ": call " + id() + " does not ring yet";
        } else {
            why = what + ": call " + id() + " is over";
        }
        return new SendToSession(session, new ErrorMessage(requestId, id(), ErrorCodes.CONFLICT, why));
    }

    private CallAction unknownCall(String session, String requestId) {
        return new SendToSession(session, new ErrorMessage(requestId, id(), ErrorCodes.NOT_FOUND,
                "unknown call '" + id() + "'"));
    }

    private void ack(List<CallAction> out, String session, String requestId) {
        if (requestId != null) {
            out.add(new SendToSession(session, new Ack(requestId, id())));
        }
    }

    /** A session's one and only {@code hangup}. */
    private SendToSession tell(String session, ServerMessage hangup) {
        if (!done.add(session)) {
            throw new IllegalStateException("incoming call " + id() + ": second hangup to " + session + ": " + hangup);
        }
        return new SendToSession(session, hangup);
    }

    private void requireState(IncomingState expected, String what) {
        if (state != expected) {
            throw new IllegalStateException("incoming call " + id() + ": " + what + " in " + state + ", expected "
                    + expected);
        }
    }

    private void moveTo(IncomingState next, String why) {
        if (!state.next().contains(next)) {
            throw new IllegalStateException("incoming call " + id() + ": " + state + " -> " + next + " (" + why + ")");
        }
        state = next;
    }
}

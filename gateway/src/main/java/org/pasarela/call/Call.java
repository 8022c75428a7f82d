package org.pasarela.call;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.pasarela.bridge.BridgeException;
import org.pasarela.bridge.BridgedAnswer;
import org.pasarela.bridge.BridgedOffer;
import org.pasarela.bridge.LocalMedia;
import org.pasarela.bridge.SipToWebRtc;
import org.pasarela.bridge.WebRtcToSip;
import org.pasarela.call.CallAction.AllocateMedia;
import org.pasarela.call.CallAction.AnswerReoffer;
import org.pasarela.call.CallAction.CancelTimer;
import org.pasarela.call.CallAction.Finish;
import org.pasarela.call.CallAction.ReleaseMedia;
import org.pasarela.call.CallAction.SendAck;
import org.pasarela.call.CallAction.SendBye;
import org.pasarela.call.CallAction.SendCancel;
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
import org.pasarela.call.CallEvent.SipReoffered;
import org.pasarela.call.CallEvent.TimerFired;
import org.pasarela.call.CallEvent.WebSocketClosed;
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
import org.pasarela.signaling.Jsep;
import org.pasarela.signaling.Progress;
import org.pasarela.signaling.Ringing;
import org.pasarela.signaling.ServerMessage;

/**
 * One outbound bridged call: the browser's JSEP offer on one side, a SIP INVITE client transaction and dialog on
 * the other. Events in, actions out: no threads, no clock reads, no sockets.
 *
 * <p>Every call ends with exactly one {@code hangup} to the browser, sent as soon as the outcome is known;
 * SIP clean-up (CANCEL/487, BYE/200) goes on after it without keeping the browser waiting.
 *
 * <p>Not thread-safe; owned by its session's lane.
 */
public final class Call {
    /** 64*T1 (RFC 3261 §17.1.1.2): how long a CANCEL or BYE may take before we stop waiting. */
    static final Duration TRANSACTION_GUARD = Duration.ofSeconds(32);

    private final CallSetup setup;
    private CallState state = CallState.ALLOCATING;
    private LocalMedia local;
    private BridgedOffer offer;
    private BridgedAnswer answer;
    private boolean provisionalSeen;
    private boolean ringingSent;
    private boolean progressSent;
    private boolean cancelSent;
    private boolean hangupSent;
    private boolean byeBeforeAnswer;
    private boolean mediaStarted;
    private boolean mediaConnected;
    /** The o= version of the last SDP sent toward SIP; each new one must be higher (RFC 3264 §8). */
    private long sipSdpVersion;
    private final TrickledCandidates remoteCandidates = new TrickledCandidates();
    /** Hold, resume, transfer and the far end's re-INVITEs, from the answer on; null before. */
    private CallControl control;
    /** Why the last SIP SDP could not be bridged, for the browser's hangup reason. */
    private String lastBridgeError;

    public Call(CallSetup setup) {
        this.setup = setup;
    }

    public String id() {
        return setup.callId();
    }

    public CallState state() {
        return state;
    }

    /** The profile the call goes through, already resolved for its user. */
    public org.pasarela.config.SipProfile profile() {
        return setup.profile();
    }

    /** The browser's trickled candidates so far, for the media plane. */
    public List<IceCandidate> remoteCandidates() {
        return remoteCandidates.list();
    }

    public boolean remoteCandidatesComplete() {
        return remoteCandidates.complete();
    }

    /** The negotiated media once answered (or early media); null before. */
    public BridgedAnswer answer() {
        return control != null ? control.answer() : answer;
    }

    /** Whether the SIP side accepted the browser's hold (and no unhold since). */
    public boolean held() {
        return control != null && control.held();
    }

    /** Whether the browser already has this call's one {@code hangup}. */
    public boolean hangupSent() {
        return hangupSent;
    }

    /** The first actions of a new call. */
    public List<CallAction> start() {
        return List.of(new AllocateMedia());
    }

    public List<CallAction> handle(CallEvent event, Instant now) {
        if (event instanceof MediaAllocated e) return onMediaAllocated(e.local());
        if (event instanceof MediaFailed e) return onMediaFailed(e);
        if (event instanceof SipProvisional e) return onProvisional(e);
        if (event instanceof SipAnswered e) return onAnswered(e.sdp());
        if (event instanceof SipFailed e) return onFailed(e.code(), e.reason());
        if (event instanceof SipReoffered e) return onReoffer(e.sdp());
        if (event instanceof SipByeReceived) return onByeReceived();
        if (event instanceof SipByeCompleted) return onByeCompleted();
        if (event instanceof BrowserHungUp e) return onBrowserHungUp(e.requestId(), true);
        if (event instanceof WebSocketClosed) return onBrowserHungUp(null, false);
        if (event instanceof BrowserCandidate e) return onCandidate(e);
        if (event instanceof BrowserDtmf e) return onDtmf(e);
        if (event instanceof TimerFired e) return onTimer(e.timer());
        if (event instanceof CallEvent.MediaConnected) return onMediaConnected();
        if (event instanceof CallEvent.MediaLost e) return onMediaLost(e.reason());
        if (event instanceof CallEvent.BrowserHold e) {
            return control == null ? notAnswered(e.requestId(), e.hold() ? "hold" : "unhold")
                    : apply(control.hold(e.requestId(), e.hold()), "re-INVITE failed");
        }
        if (event instanceof CallEvent.BrowserTransfer e) {
            return control == null ? notAnswered(e.requestId(), "transfer")
                    : apply(control.transfer(e.requestId(), e.target()), "transferred");
        }
        if (event instanceof CallEvent.SipReinviteAnswered e) {
            return control == null ? List.of() : apply(control.reinviteAnswered(e.code(), e.sdp()),
                    "re-INVITE answered " + e.code());
        }
        if (event instanceof CallEvent.SipReferAccepted) {
            return control == null ? List.of() : apply(control.referAccepted(), "REFER accepted");
        }
        if (event instanceof CallEvent.SipReferFailed e) {
            return control == null ? List.of() : apply(control.referFailed(e.code(), e.reason()), "REFER failed");
        }
        if (event instanceof CallEvent.SipReferProgress e) {
            return control == null ? List.of() : apply(control.referProgress(e.code(), e.reason()), "transferred");
        }
        throw new IllegalStateException("call " + id() + ": unhandled event " + event + " in " + state);
    }

    private List<CallAction> onMediaAllocated(LocalMedia allocated) {
        if (state == CallState.ENDED) {
            // The browser went away while sockets were being bound: give them straight back.
            return List.of(new ReleaseMedia());
        }
        requireState(CallState.ALLOCATING, "media allocated");
        local = allocated;
        sipSdpVersion = allocated.sessionVersion();
        try {
            offer = WebRtcToSip.translate(setup.browserOffer(), setup.profile().codecs(), local);
        } catch (BridgeException e) {
            moveTo(CallState.ENDED, "offer cannot be bridged");
            return List.of(new ReleaseMedia(),
                    reply(new ErrorMessage(setup.requestId(), null, ErrorCodes.NOT_ACCEPTABLE_HERE,
                            "jsep.sdp: " + e.getMessage())),
                    new Finish());
        }
        moveTo(CallState.INVITING, "INVITE sent");
        return List.of(
                reply(new Ack(setup.requestId(), id())),
                new SendInvite(setup.requestUri(), setup.profile(), setup.fromUser(),
                        SdpWriter.write(offer.sipOffer())),
                new StartTimer(CallTimer.NO_ANSWER, setup.noAnswerTimeout()));
    }

    private List<CallAction> onMediaFailed(MediaFailed failure) {
        if (state == CallState.ENDED) {
            return List.of();
        }
        requireState(CallState.ALLOCATING, "media failed");
        moveTo(CallState.ENDED, "no media endpoints");
        // The retry tells a web app with several gateways to try another one meanwhile, as Retry-After does a proxy.
        return List.of(reply(new ErrorMessage(setup.requestId(), null, ErrorCodes.SERVICE_UNAVAILABLE,
                        failure.reason(), failure.retryAfterSeconds())),
                new Finish());
    }

    private List<CallAction> onProvisional(SipProvisional response) {
        provisionalSeen = true; // any 1xx, 100 included, makes CANCEL possible (§9.1)
        if (state == CallState.CANCELLING && !cancelSent) {
            cancelSent = true; // §9.1: a CANCEL may only follow a provisional response
            return List.of(new SendCancel());
        }
        if (response.code() == 100) {
            return List.of(); // hop-by-hop (RFC 3261 §8.2.6.1): says nothing to the browser
        }
        if (!state.isBeforeAnswer()) {
            return List.of(); // late or retransmitted provisional after the outcome
        }
        List<CallAction> actions = new ArrayList<>();
        if (response.code() >= 180 && response.code() <= 182 && !ringingSent) {
            ringingSent = true;
            actions.add(reply(new Ringing(id())));
        }
        BridgedAnswer early = response.sdp() == null ? null : bridgeAnswer(response.sdp());
        if (early != null && state != CallState.EARLY_MEDIA) {
            answer = early;
            progressSent = true;
            moveTo(CallState.EARLY_MEDIA, response.code() + " with SDP");
            actions.add(startOrUpdateMedia());
            actions.add(reply(new Progress(id(), new Jsep("pranswer", SdpWriter.write(early.webrtcAnswer())))));
        } else if (response.code() == 183 && !progressSent) {
            progressSent = true;
            actions.add(reply(new Progress(id(), null)));
        }
        if (state == CallState.INVITING) {
            moveTo(CallState.RINGING, "provisional " + response.code());
        }
        return actions;
    }

    private List<CallAction> onAnswered(String sdp) {
        if (state == CallState.ANSWERED || state == CallState.ENDING) {
            return List.of(new SendAck()); // a retransmitted 2xx: our ACK was lost (§13.2.2.4)
        }
        if (state == CallState.ENDED) {
            return List.of();
        }
        if (state == CallState.CANCELLING) {
            // The 2xx crossed our CANCEL: the dialog exists now and must be ended properly (§9.1).
            moveTo(CallState.ENDING, "answered despite CANCEL");
            return List.of(new CancelTimer(CallTimer.CANCEL_GUARD), new SendAck(), new SendBye(),
                    new StartTimer(CallTimer.BYE_GUARD, TRANSACTION_GUARD));
        }
        requireBeforeAnswer("2xx");
        if (byeBeforeAnswer) {
            // The far end's BYE overtook this 2xx: the dialog is confirmed and already over.
            moveTo(CallState.ENDED, "2xx after the far end's BYE");
            return List.of(new CancelTimer(CallTimer.NO_ANSWER), new SendAck(), new ReleaseMedia(),
                    send(Hangup.byRemoteParty(id())), new Finish());
        }
        // A bare 2xx after an SDP answer in a 183 keeps that answer (RFC 3261 §13.2.1; many gateways do this).
        BridgedAnswer finalAnswer = sdp == null ? answer : bridgeAnswer(sdp);
        if (finalAnswer == null) {
            String why = sdp == null ? "SIP answer has no SDP" : "SIP answer SDP cannot be used: " + lastBridgeError;
            moveTo(CallState.ENDING, why);
            return List.of(new CancelTimer(CallTimer.NO_ANSWER), new SendAck(), new SendBye(), new ReleaseMedia(),
                    hangup(ErrorCodes.NOT_ACCEPTABLE_HERE, why),
                    new StartTimer(CallTimer.BYE_GUARD, TRANSACTION_GUARD));
        }
        answer = finalAnswer;
        moveTo(CallState.ANSWERED, "2xx");
        control = new CallControl(id(), true, SendToBrowser::new, offer.sipOffer(), offer.sipOffer(), finalAnswer,
                sipSdpVersion);
        return List.of(new CancelTimer(CallTimer.NO_ANSWER), new SendAck(), startOrUpdateMedia(),
                reply(new Answered(id(), new Jsep("answer", SdpWriter.write(finalAnswer.webrtcAnswer())))));
    }

    private List<CallAction> onFailed(int code, String reason) {
        if (state == CallState.CANCELLING) {
            moveTo(CallState.ENDED, "INVITE ended with " + code + " after CANCEL");
            return List.of(new CancelTimer(CallTimer.CANCEL_GUARD), new Finish());
        }
        if (!state.isBeforeAnswer()) {
            return List.of(); // a failure report after the outcome (e.g. a stray timeout) changes nothing
        }
        moveTo(CallState.ENDED, "INVITE failed " + code);
        return List.of(new CancelTimer(CallTimer.NO_ANSWER), new ReleaseMedia(), hangup(code, reason), new Finish());
    }

    /** RFC 3264 §8: the far end changes the session (hold, resume, refresh, re-anchoring) inside the dialog. */
    private List<CallAction> onReoffer(String sdp) {
        if (state.isBeforeAnswer()) {
            return List.of(new AnswerReoffer(491, null, "our INVITE is still pending")); // RFC 3261 §14.2
        }
        if (state != CallState.ANSWERED) {
            return List.of(new AnswerReoffer(481, null, "the call is ending"));
        }
        return control.reoffered(sdp);
    }

    /** Runs a {@link CallControl} step; one that ends the call leaves the dialog with BYE. */
    private List<CallAction> apply(CallControl.Step step, String why) {
        if (step.end() == null) {
            return step.actions();
        }
        List<CallAction> actions = new ArrayList<>(step.actions());
        if (state == CallState.ANSWERED) {
            moveTo(CallState.ENDING, why);
            actions.add(new CancelTimer(CallTimer.REINVITE_RETRY));
            actions.add(new CancelTimer(CallTimer.TRANSFER_GUARD));
            actions.add(new SendBye());
            actions.add(new ReleaseMedia());
            actions.add(send(step.end()));
            actions.add(new StartTimer(CallTimer.BYE_GUARD, TRANSACTION_GUARD));
        }
        return actions;
    }

    private List<CallAction> notAnswered(String requestId, String what) {
        return List.of(reply(new ErrorMessage(requestId, id(), ErrorCodes.CONFLICT,
                what + ": call is " + state + ", " + what + " needs an answered call")));
    }

    private List<CallAction> onByeReceived() {
        if (state.isBeforeAnswer()) {
            // A BYE can only follow a 2xx; it got here first (UDP reordering). Act on it when the 2xx arrives.
            byeBeforeAnswer = true;
            return List.of();
        }
        if (state == CallState.ANSWERED) {
            moveTo(CallState.ENDED, "BYE from SIP");
            return List.of(new ReleaseMedia(), send(Hangup.byRemoteParty(id())), new Finish());
        }
        return List.of(); // BYE glare while ENDING, or a BYE for a dialog we already left
    }

    private List<CallAction> onByeCompleted() {
        if (state != CallState.ENDING) {
            return List.of();
        }
        moveTo(CallState.ENDED, "BYE completed");
        return List.of(new CancelTimer(CallTimer.BYE_GUARD), new Finish());
    }

    private List<CallAction> onBrowserHungUp(String requestId, boolean browserStillThere) {
        List<CallAction> actions = new ArrayList<>();
        if (requestId != null) {
            actions.add(reply(new Ack(requestId, id())));
        }
        switch (state) {
            case ALLOCATING -> {
                moveTo(CallState.ENDED, "browser left before the INVITE");
                actions.add(new Finish());
            }
            case INVITING, RINGING, EARLY_MEDIA -> {
                actions.addAll(cancel());
                actions.add(new ReleaseMedia());
                if (browserStillThere) {
                    actions.add(send(Hangup.cancelledByClient(id())));
                }
            }
            case ANSWERED -> {
                moveTo(CallState.ENDING, "browser hung up");
                actions.add(new SendBye());
                actions.add(new ReleaseMedia());
                if (browserStillThere) {
                    actions.add(send(Hangup.byClient(id())));
                }
                actions.add(new StartTimer(CallTimer.BYE_GUARD, TRANSACTION_GUARD));
            }
            case CANCELLING, ENDING, ENDED -> {
                // Already on the way out: a repeated hangup is acknowledged and changes nothing.
            }
        }
        return actions;
    }

    private List<CallAction> cancel() {
        moveTo(CallState.CANCELLING, "cancel");
        List<CallAction> actions = new ArrayList<>();
        actions.add(new CancelTimer(CallTimer.NO_ANSWER));
        if (provisionalSeen) {
            cancelSent = true;
            actions.add(new SendCancel());
        }
        actions.add(new StartTimer(CallTimer.CANCEL_GUARD, TRANSACTION_GUARD));
        return actions;
    }

    private List<CallAction> onCandidate(BrowserCandidate event) {
        remoteCandidates.add(event.candidate());
        return event.requestId() == null ? List.of() : List.of(reply(new Ack(event.requestId(), id())));
    }

    private List<CallAction> onDtmf(BrowserDtmf event) {
        if (state != CallState.ANSWERED) {
            return List.of(reply(new ErrorMessage(event.requestId(), id(), ErrorCodes.CONFLICT,
                    "dtmf: call is " + state + ", DTMF needs an answered call")));
        }
        return DtmfDispatch.send(setup.profile(), answer(), id(), event.requestId(), event.digits(),
                event.durationMs(), SendToBrowser::new);
    }

    /** The first media-carrying answer starts the relay; later ones (183 then 200) only update it. */
    private CallAction startOrUpdateMedia() {
        if (mediaStarted) {
            return new CallAction.UpdateMedia(answer);
        }
        mediaStarted = true;
        return new CallAction.StartMedia(offer.browserPeer(), answer, local);
    }

    private List<CallAction> onMediaConnected() {
        mediaConnected = true;
        return List.of();
    }

    /** The browser's media died (it vanished, or DTLS failed): end the SIP side too. */
    private List<CallAction> onMediaLost(String reason) {
        String why = "media lost: " + reason;
        if (state == CallState.ANSWERED) {
            moveTo(CallState.ENDING, why);
            return List.of(new SendBye(), new ReleaseMedia(), hangup(408, why),
                    new StartTimer(CallTimer.BYE_GUARD, TRANSACTION_GUARD));
        }
        if (state.isBeforeAnswer()) {
            List<CallAction> actions = new ArrayList<>(cancel());
            actions.add(new ReleaseMedia());
            actions.add(hangup(408, why));
            return actions;
        }
        return List.of(); // already on the way out
    }

    /** Whether the browser's media came up (ICE, DTLS, SRTP), for logs and tests. */
    public boolean mediaConnected() {
        return mediaConnected;
    }

    private List<CallAction> onTimer(CallTimer timer) {
        switch (timer) {
            case NO_ANSWER -> {
                if (!state.isBeforeAnswer()) {
                    return List.of();
                }
                List<CallAction> actions = new ArrayList<>(cancel());
                actions.add(new ReleaseMedia());
                actions.add(hangup(408, "no answer within " + setup.noAnswerTimeout().toSeconds() + " s"));
                return actions;
            }
            case CANCEL_GUARD -> {
                if (state != CallState.CANCELLING) {
                    return List.of();
                }
                moveTo(CallState.ENDED, "no final response to CANCEL");
                return List.of(new Finish());
            }
            case BYE_GUARD -> {
                if (state != CallState.ENDING) {
                    return List.of();
                }
                moveTo(CallState.ENDED, "no response to BYE");
                return List.of(new Finish());
            }
            case REINVITE_RETRY -> {
                return state == CallState.ANSWERED ? apply(control.retry(), "re-INVITE failed") : List.of();
            }
            case TRANSFER_GUARD -> {
                return state == CallState.ANSWERED ? apply(control.transferTimedOut(), "transfer") : List.of();
            }
        }
        throw new IllegalStateException("unknown timer " + timer);
    }

    /** Parses and bridges a SIP answer; null (with {@link #lastBridgeError} set) when it cannot be used. */
    private BridgedAnswer bridgeAnswer(String sdp) {
        try {
            SessionDescription sipAnswer = SdpParser.parse(sdp);
            return SipToWebRtc.answer(setup.browserOffer(), offer, sipAnswer, local);
        } catch (SdpException | BridgeException e) {
            lastBridgeError = e.getMessage();
            return null;
        }
    }

    private SendToBrowser hangup(int code, String reason) {
        return send(new Hangup(id(), code, reason));
    }

    /** The call's one and only {@code hangup} to the browser. */
    private SendToBrowser send(Hangup hangup) {
        if (hangupSent) {
            throw new IllegalStateException("call " + id() + ": second hangup " + hangup);
        }
        hangupSent = true;
        return reply(hangup);
    }

    private static SendToBrowser reply(ServerMessage message) {
        return new SendToBrowser(message);
    }

    private void requireState(CallState expected, String what) {
        if (state != expected) {
            throw new IllegalStateException("call " + id() + ": " + what + " in " + state + ", expected " + expected);
        }
    }

    private void requireBeforeAnswer(String what) {
        if (!state.isBeforeAnswer()) {
            throw new IllegalStateException("call " + id() + ": " + what + " in " + state);
        }
    }

    private void moveTo(CallState next, String why) {
        if (!state.next().contains(next)) {
            throw new IllegalStateException("call " + id() + ": " + state + " -> " + next + " (" + why + ")");
        }
        state = next;
    }
}

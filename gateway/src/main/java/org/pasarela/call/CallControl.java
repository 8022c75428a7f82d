package org.pasarela.call;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.pasarela.bridge.BridgeException;
import org.pasarela.bridge.BridgedAnswer;
import org.pasarela.bridge.SipHold;
import org.pasarela.call.CallAction.CancelTimer;
import org.pasarela.call.CallAction.HoldMedia;
import org.pasarela.call.CallAction.SendRefer;
import org.pasarela.call.CallAction.SendReinvite;
import org.pasarela.call.CallAction.StartTimer;
import org.pasarela.call.CallAction.UpdateMedia;
import org.pasarela.call.CallAction.AnswerReoffer;
import org.pasarela.config.SipUri;
import org.pasarela.sdp.Direction;
import org.pasarela.sdp.SdpException;
import org.pasarela.sdp.SdpParser;
import org.pasarela.sdp.SdpWriter;
import org.pasarela.sdp.SessionDescription;
import org.pasarela.signaling.Ack;
import org.pasarela.signaling.ErrorCodes;
import org.pasarela.signaling.ErrorMessage;
import org.pasarela.signaling.Hangup;
import org.pasarela.signaling.ServerMessage;
import org.pasarela.signaling.TransferFailed;
import org.pasarela.sip.SipReasons;

/**
 * What can change in a confirmed dialog, the same for outbound and incoming calls: the browser's hold and resume
 * (re-INVITEs with {@code a=sendonly}, {@code a=inactive} or {@code a=sendrecv}, RFC 3264 §8.4), the far end's own
 * re-INVITEs (RFC 3264 §8), and blind transfer with REFER (RFC 3515). Owns the SDP state toward SIP from the
 * answer on: the last SDP sent, its o= version, and the negotiated media.
 *
 * <p>Re-INVITEs, one at a time (RFC 3261 §14.1): a far-end re-INVITE that crosses ours gets 491 (§14.2); a 491 to
 * ours is retried once after the §14.1 wait (2.1-4 s when the gateway sent the dialog's INVITE, else 0-2 s), then
 * reported; 408 or 481 end the call (§14.1: the dialog is gone); any other failure leaves the call as it was.
 *
 * <p>Not thread-safe; owned by its call.
 */
final class CallControl {
    /** How long a transfer whose REFER was accepted may take to report its outcome (the target may ring a while). */
    static final Duration TRANSFER_GUARD = Duration.ofSeconds(120);

    /**
     * What one step did: the actions to run and, when the call must end now (transfer done, dialog gone), the
     * {@code hangup} the browser gets; the call itself sends the BYE and leaves its state machine.
     */
    record Step(List<CallAction> actions, Hangup end) {
        static Step of(List<CallAction> actions) {
            return new Step(actions, null);
        }
    }

    /** A hold or resume the browser asked for and SIP has not settled yet. */
    private record Change(String requestId, boolean hold, int attempt) {
        String what() {
            return hold ? "hold" : "unhold";
        }
    }

    private enum Transfer { NONE, REFERRING, ACCEPTED, DONE }

    private final String callId;
    private final boolean ownsDialog;
    private final Function<ServerMessage, CallAction> reply;
    /** The audio the gateway first sent toward SIP: the base of answers to the far end's re-INVITEs. */
    private final SessionDescription audioBase;
    private SessionDescription lastSent;
    private long version;
    private BridgedAnswer answer;
    private boolean held;
    private boolean farEndHolds;
    private Change change;
    private boolean reinviteInFlight;
    private SessionDescription offered;
    private Transfer transfer = Transfer.NONE;
    private String transferRequestId;

    /**
     * @param ownsDialog whether the gateway sent the dialog's INVITE (outbound): it then waits longer after a 491
     * @param reply      how the call addresses a message to its browser
     * @param lastSent   the last SDP sent toward SIP, whole (every m-line)
     * @param audioBase  the SDP the answers to far-end re-INVITEs are based on
     * @param version    the o= version of {@code lastSent}
     */
    CallControl(String callId, boolean ownsDialog, Function<ServerMessage, CallAction> reply,
                SessionDescription lastSent, SessionDescription audioBase, BridgedAnswer answer, long version) {
        this.callId = callId;
        this.ownsDialog = ownsDialog;
        this.reply = reply;
        this.lastSent = lastSent;
        this.audioBase = audioBase;
        this.answer = answer;
        this.version = version;
    }

    BridgedAnswer answer() {
        return answer;
    }

    /** Whether the SIP side agreed to the gateway's hold (and has not been resumed since). */
    boolean held() {
        return held;
    }

    /** The o= version of the last SDP sent toward SIP. */
    long sipSdpVersion() {
        return version;
    }

    // ---- hold and resume ----

    /** The browser's {@code hold} ({@code hold} true) or {@code unhold}. */
    Step hold(String requestId, boolean hold) {
        String what = hold ? "hold" : "unhold";
        if (change != null) {
            return Step.of(List.of(error(requestId, ErrorCodes.CONFLICT,
                    what + ": another hold or unhold of call " + callId + " is still pending")));
        }
        if (held == hold) {
            return Step.of(ack(requestId)); // already so: nothing to ask the far end
        }
        change = new Change(requestId, hold, 1);
        return sendReinvite();
    }

    private Step sendReinvite() {
        Direction direction = change.hold() ? (farEndHolds ? Direction.INACTIVE : Direction.SENDONLY)
                : Direction.SENDRECV;
        try {
            offered = SipHold.offer(lastSent, answer, direction, version + 1);
        } catch (BridgeException e) {
            Change failed = change;
            change = null;
            return Step.of(List.of(error(failed.requestId(), ErrorCodes.INTERNAL_ERROR,
                    failed.what() + ": " + e.getMessage())));
        }
        reinviteInFlight = true;
        return Step.of(List.of(new SendReinvite(SdpWriter.write(offered))));
    }

    /** The final response to our re-INVITE. */
    Step reinviteAnswered(int code, String sdp) {
        if (!reinviteInFlight) {
            return Step.of(List.of()); // a retransmitted 2xx (the SIP edge re-ACKs it) or a stray timeout
        }
        reinviteInFlight = false;
        Change settled = change;
        if (code >= 200 && code < 300) {
            change = null;
            return accepted(settled, sdp);
        }
        if (code == 491 && settled.attempt() == 1) {
            change = new Change(settled.requestId(), settled.hold(), 2);
            return Step.of(List.of(new StartTimer(CallTimer.REINVITE_RETRY, glareWait())));
        }
        change = null;
        String why = settled.what() + ": the far end answered the re-INVITE with " + code + " "
                + SipReasons.reasonPhrase(code);
        List<CallAction> out = new ArrayList<>();
        out.add(error(settled.requestId(), Math.max(code, 400), code == 491 ? why + " twice" : why));
        if (code == 408 || code == 481) {
            // RFC 3261 §14.1: a re-INVITE that times out or meets 481 means the dialog is gone.
            return new Step(out, new Hangup(callId, code, "the SIP dialog is gone (" + code + " to a re-INVITE)"));
        }
        return Step.of(out); // §14.1: the session goes on as if no re-INVITE had been sent
    }

    private Step accepted(Change settled, String sdp) {
        List<CallAction> out = new ArrayList<>();
        if (sdp != null) {
            try {
                SipHold.Answer a = SipHold.answer(SdpParser.parse(sdp), answer);
                answer = answer.withSipMedia(a.remoteMedia());
                out.add(new UpdateMedia(answer));
            } catch (SdpException | BridgeException e) {
                String why = "the answer to the gateway's re-INVITE cannot be used: " + e.getMessage();
                return new Step(List.of(error(settled.requestId(), ErrorCodes.NOT_ACCEPTABLE_HERE,
                        settled.what() + ": " + why)), new Hangup(callId, ErrorCodes.NOT_ACCEPTABLE_HERE, why));
            }
        }
        lastSent = offered;
        version++;
        held = settled.hold();
        out.add(new HoldMedia(held));
        out.addAll(ack(settled.requestId()));
        return Step.of(out);
    }

    /** The REINVITE_RETRY timer: send the re-INVITE that met 491 again, with the state as it is now. */
    Step retry() {
        if (change == null || reinviteInFlight) {
            return Step.of(List.of());
        }
        return sendReinvite();
    }

    /**
     * RFC 3261 §14.1: the owner of the Call-ID waits 2.1-4 s, the other side 0-2 s, in 10 ms units. Derived from
     * the call id and not from a clock or a random source, so the call stays deterministic; the two ranges alone
     * keep the two ends from colliding again.
     */
    Duration glareWait() {
        int spread = Math.floorMod(callId.hashCode() * 31 + change.attempt(), ownsDialog ? 191 : 201);
        return Duration.ofMillis((ownsDialog ? 2100 : 0) + spread * 10L);
    }

    /** The far end's re-INVITE: 491 while ours is pending (RFC 3261 §14.2), else answered as RFC 3264 §8 says. */
    List<CallAction> reoffered(String sdp) {
        if (reinviteInFlight) {
            return List.of(new AnswerReoffer(491, null, "the gateway's own re-INVITE is pending"));
        }
        InDialogOffer.Outcome outcome = InDialogOffer.answer(sdp, audioBase, answer, version, held);
        answer = outcome.answer();
        version = outcome.sipSdpVersion();
        if (outcome.sent() != null) {
            lastSent = outcome.sent();
        }
        if (outcome.offered() != null) {
            farEndHolds = !outcome.offered().receives() || answer.sipMedia().isHold();
        }
        return outcome.actions();
    }

    // ---- blind transfer ----

    /** The browser's {@code transfer} to {@code target} (resolved and admitted by the session). */
    Step transfer(String requestId, SipUri target) {
        if (transfer == Transfer.REFERRING || transfer == Transfer.ACCEPTED) {
            return Step.of(List.of(error(requestId, ErrorCodes.CONFLICT,
                    "transfer: a transfer of call " + callId + " is already under way")));
        }
        transfer = Transfer.REFERRING;
        transferRequestId = requestId;
        return Step.of(List.of(new SendRefer(target)));
    }

    Step referAccepted() {
        if (transfer != Transfer.REFERRING) {
            return Step.of(List.of());
        }
        transfer = Transfer.ACCEPTED;
        List<CallAction> out = new ArrayList<>(ack(transferRequestId));
        out.add(new StartTimer(CallTimer.TRANSFER_GUARD, TRANSFER_GUARD));
        return Step.of(out);
    }

    Step referFailed(int code, String reason) {
        if (transfer != Transfer.REFERRING) {
            return Step.of(List.of());
        }
        transfer = Transfer.NONE;
        return Step.of(List.of(error(transferRequestId, code >= 400 ? code : ErrorCodes.INTERNAL_ERROR,
                "transfer: the far end refused the REFER with " + code + " " + reason)));
    }

    /** A NOTIFY of the transfer's progress; a NOTIFY that overtook the 202 counts as the acceptance. */
    Step referProgress(int code, String reason) {
        List<CallAction> out = new ArrayList<>();
        if (transfer == Transfer.REFERRING) {
            out.addAll(referAccepted().actions());
        }
        if (transfer != Transfer.ACCEPTED || code < 200) {
            return Step.of(out); // 100 Trying, 180 Ringing: the target has not answered yet
        }
        out.add(new CancelTimer(CallTimer.TRANSFER_GUARD));
        if (code < 300) {
            transfer = Transfer.DONE;
            return new Step(out, new Hangup(callId, ErrorCodes.OK, "transferred"));
        }
        transfer = Transfer.NONE;
        out.add(reply.apply(new TransferFailed(callId, Math.min(code, 699), reason)));
        return Step.of(out);
    }

    /** The TRANSFER_GUARD timer: no outcome came; the call goes on with the far end. */
    Step transferTimedOut() {
        if (transfer != Transfer.ACCEPTED) {
            return Step.of(List.of());
        }
        transfer = Transfer.NONE;
        return Step.of(List.of(reply.apply(new TransferFailed(callId, ErrorCodes.REQUEST_TIMEOUT,
                "no outcome of the transfer within " + TRANSFER_GUARD.toSeconds() + " s"))));
    }

    // ---- replies ----

    private List<CallAction> ack(String requestId) {
        return requestId == null ? List.of() : List.of(reply.apply(new Ack(requestId, callId)));
    }

    private CallAction error(String requestId, int code, String reason) {
        return reply.apply(new ErrorMessage(requestId, callId, code, reason));
    }
}

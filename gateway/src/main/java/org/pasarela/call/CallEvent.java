package org.pasarela.call;

import org.pasarela.bridge.LocalMedia;
import org.pasarela.signaling.IceCandidate;

/** Something that happened to a call: past-tense facts, delivered in order on the call's lane. */
public sealed interface CallEvent {
    /** The media sockets, ICE credentials and DTLS fingerprint for this call are ready. */
    record MediaAllocated(LocalMedia local) implements CallEvent {}

    /**
     * No media endpoints could be had (port range exhausted, relay saturated, socket error). {@code retryAfterSeconds}
     * is when a new call may find room again, when that can be known (a saturated relay); 0 otherwise.
     */
    record MediaFailed(String reason, int retryAfterSeconds) implements CallEvent {
        public MediaFailed {
            if (retryAfterSeconds < 0) throw new IllegalArgumentException("retry after " + retryAfterSeconds + " s");
        }

        /** No telling when a new call would find room (no ports left, a socket error). */
        public MediaFailed(String reason) {
            this(reason, 0);
        }
    }

    /** The browser's media is up: ICE checked, DTLS done, SRTP keyed. */
    record MediaConnected(String description) implements CallEvent {}

    /** The browser's media failed or went silent (no ICE consent, DTLS failure): the call cannot go on. */
    record MediaLost(String reason) implements CallEvent {}

    /** The browser sent {@code hangup}; {@code requestId} is null when it sent none. */
    record BrowserHungUp(String requestId) implements CallEvent {}

    /** The browser trickled a candidate; a null candidate ends trickling. */
    record BrowserCandidate(String requestId, IceCandidate candidate) implements CallEvent {}

    /** The browser asked for DTMF digits to be sent toward SIP. */
    record BrowserDtmf(String requestId, String digits, int durationMs) implements CallEvent {}

    /** The browser asked to put the call on hold ({@code hold} true) or to take it off hold. */
    record BrowserHold(String requestId, boolean hold) implements CallEvent {}

    /**
     * The browser asked for a blind transfer to {@code target}: already resolved through the call's profile and
     * admitted by the toll-fraud rules.
     */
    record BrowserTransfer(String requestId, org.pasarela.config.SipUri target) implements CallEvent {}

    /** The browser's WebSocket is gone: nobody is left to talk to. */
    record WebSocketClosed() implements CallEvent {}

    /** A 1xx response to the INVITE; {@code sdp} is the body when it has one (early media). */
    record SipProvisional(int code, String reason, String sdp) implements CallEvent {}

    /** A 2xx response to the INVITE; {@code sdp} is null when the far end sent no body. */
    record SipAnswered(String sdp) implements CallEvent {}

    /** The INVITE ended without a call: a final 3xx-6xx, or a transport failure or timeout mapped to one. */
    record SipFailed(int code, String reason) implements CallEvent {}

    /** The far end sent a re-INVITE in the dialog; {@code sdp} is its offer, null for a re-INVITE without one. */
    record SipReoffered(String sdp) implements CallEvent {}

    /** The far end sent BYE in the dialog (already answered 200 by the SIP edge). */
    record SipByeReceived() implements CallEvent {}

    /** Our BYE got a final response or timed out. */
    record SipByeCompleted() implements CallEvent {}

    /**
     * The caller gave up on an incoming call before it was answered: CANCEL (or BYE on the early dialog). The SIP
     * edge has already answered it and ended the INVITE with 487.
     */
    record SipCancelled() implements CallEvent {}

    /**
     * The caller ACKed our 200 to its INVITE; {@code sdp} is the ACK's body (the answer to our offer after a late
     * offer), null when it has none.
     */
    record SipAcked(String sdp) implements CallEvent {}

    /**
     * The final response to the gateway's own re-INVITE (hold, resume): a 2xx (already ACKed by the SIP edge) with
     * its SDP answer, or a failure; 408 when it timed out.
     */
    record SipReinviteAnswered(int code, String sdp) implements CallEvent {}

    /** The far end accepted our REFER (2xx, RFC 3515 §2.4.2): the outcome follows in NOTIFYs. */
    record SipReferAccepted() implements CallEvent {}

    /** The far end refused our REFER ({@code code} 300..699), or it timed out (408). */
    record SipReferFailed(int code, String reason) implements CallEvent {}

    /**
     * A NOTIFY of the REFER's implicit subscription (RFC 3515 §2.4.4), already answered 200 by the SIP edge:
     * {@code code} and {@code reason} are the status line of its message/sipfrag body; {@code terminated} when its
     * Subscription-State says the subscription is over.
     */
    record SipReferProgress(int code, String reason, boolean terminated) implements CallEvent {}

    /** A timer this call armed has fired. */
    record TimerFired(CallTimer timer) implements CallEvent {}

    // ---- incoming calls (IncomingCall): the caller's SIP side and the user's ringing sessions ----

    /** Session {@code session} sent {@code accept} with the browser's JSEP answer {@code sdp}. */
    record SessionAccepted(String session, String requestId, String sdp) implements CallEvent {}

    /** Session {@code session} sent {@code reject}; {@code everywhere} declines on all the user's sessions. */
    record SessionRejected(String session, String requestId, boolean everywhere) implements CallEvent {}

    /** Session {@code session} sent {@code hangup} for the incoming call; {@code requestId} may be null. */
    record SessionHungUp(String session, String requestId) implements CallEvent {}

    /** Session {@code session} closed its WebSocket: nothing can be sent to it any more. */
    record SessionLeft(String session) implements CallEvent {}

    /** Session {@code session} trickled a candidate of its answer; a null candidate ends trickling. */
    record SessionCandidate(String session, String requestId, IceCandidate candidate) implements CallEvent {}

    /** Session {@code session} asked for DTMF digits to be sent toward the caller. */
    record SessionDtmf(String session, String requestId, String digits, int durationMs) implements CallEvent {}

    /** Session {@code session} asked to hold ({@code hold} true) or resume the incoming call. */
    record SessionHold(String session, String requestId, boolean hold) implements CallEvent {}

    /** Session {@code session} asked for a blind transfer of the incoming call to the resolved {@code target}. */
    record SessionTransfer(String session, String requestId, org.pasarela.config.SipUri target) implements CallEvent {}
}

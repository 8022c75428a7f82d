package org.pasarela.call;

import java.time.Duration;
import org.pasarela.config.SipProfile;
import org.pasarela.config.SipUri;
import org.pasarela.signaling.ServerMessage;
import org.pasarela.sip.SipReasons;

/** What a call asks its adapters to do, in order, after each event: imperatives, never facts. */
public sealed interface CallAction {
    /** Bind the call's media sockets and make its ICE credentials; answer with MediaAllocated or MediaFailed. */
    record AllocateMedia() implements CallAction {}

    /** Start relaying: answer the browser's ICE and DTLS, and move packets once keyed. */
    record StartMedia(org.pasarela.bridge.BrowserPeer browser, org.pasarela.bridge.BridgedAnswer answer,
                      org.pasarela.bridge.LocalMedia local) implements CallAction {}

    /** The SIP side's media changed (final answer after early media, or a re-INVITE). */
    record UpdateMedia(org.pasarela.bridge.BridgedAnswer answer) implements CallAction {}

    /**
     * The gateway holds the call ({@code held} true): stop relaying the browser's audio toward SIP until it is
     * resumed. RTCP and the far end's audio (if any) keep flowing.
     */
    record HoldMedia(boolean held) implements CallAction {}

    /** Send DTMF toward SIP as RFC 4733 telephone-events in the media stream. */
    record SendDtmfEvents(String digits, int durationMs) implements CallAction {}

    /** Stop the media relay and close the call's media sockets; idempotent. */
    record ReleaseMedia() implements CallAction {}

    /** Send the INVITE that starts the SIP leg. */
    record SendInvite(SipUri requestUri, SipProfile profile, String fromUser, String sdp) implements CallAction {}

    /** ACK the 2xx that answered the INVITE (RFC 3261 §13.2.2.4). */
    record SendAck() implements CallAction {}

    /** CANCEL the pending INVITE (RFC 3261 §9.1). */
    record SendCancel() implements CallAction {}

    /** End the confirmed dialog with BYE. */
    record SendBye() implements CallAction {}

    /** Answer the pending re-INVITE: 200 with {@code sdp}, or a failure {@code code} with {@code reason}. */
    record AnswerReoffer(int code, String sdp, String reason) implements CallAction {}

    /**
     * Send a re-INVITE in the confirmed dialog with {@code sdp} as its offer (RFC 3261 §14.1); the SIP edge ACKs
     * a 2xx and reports the outcome as {@link CallEvent.SipReinviteAnswered}.
     */
    record SendReinvite(String sdp) implements CallAction {}

    /**
     * Send REFER in the confirmed dialog with {@code referTo} as its Refer-To (RFC 3515); the outcome comes back
     * as {@link CallEvent.SipReferAccepted} or {@link CallEvent.SipReferFailed}, then NOTIFYs as
     * {@link CallEvent.SipReferProgress}.
     */
    record SendRefer(SipUri referTo) implements CallAction {}

    /** Send DTMF digits as SIP INFO application/dtmf-relay, one request per digit, in order. */
    record SendDtmfInfo(String digits, int durationMs) implements CallAction {}

    /** Send a message to the browser; dropped if its WebSocket is gone. */
    record SendToBrowser(ServerMessage message) implements CallAction {}

    record StartTimer(CallTimer timer, Duration after) implements CallAction {}

    record CancelTimer(CallTimer timer) implements CallAction {}

    /**
     * Session-level: look up the user's call history off the lane and answer request {@code requestId} with a
     * {@code history} message, or an {@code error} when the lookup fails.
     */
    record LookUpHistory(String requestId, String user, int limit, String before) implements CallAction {}

    /** Session-level: send the user's not yet reported missed calls in one {@code missed} message, if any. */
    record ReportMissed(String user) implements CallAction {}

    /**
     * Session-level: this session wants {@code user} registered through {@code profile} (whose credentials are
     * already resolved for the user). The owner of registrations shares one per (user, profile).
     */
    record JoinRegistration(String user, SipProfile profile) implements CallAction {}

    /** Session-level: this session no longer wants the registration of {@code user} through {@code profile}. */
    record LeaveRegistration(String user, String profile) implements CallAction {}

    /** Incoming calls: send a message to one of the called user's sessions; dropped if that session is gone. */
    record SendToSession(String session, ServerMessage message) implements CallAction {}

    /** Incoming calls: send 180 Ringing to the caller (RFC 3261 §13.3.1.1). */
    record SendRinging() implements CallAction {}

    /**
     * Incoming calls: answer the caller's INVITE. A 2xx carries {@code sdp} (the answer, or the gateway's offer
     * when the INVITE had none) and is retransmitted until the ACK; 3xx-6xx carry no body. A refusal may say in how
     * many seconds the caller can try again ({@code retryAfterSeconds}, the Retry-After header of RFC 3261 §20.33;
     * 0 for none).
     */
    record SendFinalResponse(int code, String reason, String sdp, int retryAfterSeconds) implements CallAction {
        public SendFinalResponse {
            if (code < 200 || code > 699) throw new IllegalArgumentException("final response code " + code);
            if (sdp != null && code >= 300) {
                throw new IllegalArgumentException("a " + code + " response carries no SDP");
            }
            if (retryAfterSeconds < 0 || retryAfterSeconds > 0 && !SipReasons.allowsRetryAfter(code)) {
                throw new IllegalArgumentException("a " + code + " response cannot say retry after "
                        + retryAfterSeconds + " s");
            }
        }

        /** A response that says nothing of when to try again. */
        public SendFinalResponse(int code, String reason, String sdp) {
            this(code, reason, sdp, 0);
        }
    }

    /**
     * Session-level: {@code event} from this session for the incoming call named by the command's callId, which
     * the incoming call's own lane handles.
     */
    record ToIncomingCall(CallEvent event) implements CallAction {}

    /**
     * Check a {@code login}'s password off the session's lane (bcrypt is slow by design), with the session's name
     * and peer for the throttle and the security events, then hand the {@link org.pasarela.auth.LoginResult} to
     * {@link Session#onPasswordChecked}. {@code toString()} hides the password.
     */
    record CheckPassword(String user, String password, String session, org.pasarela.auth.RemoteAddress from)
            implements CallAction {
        @Override
        public String toString() {
            return "CheckPassword[user=" + user + ", password=***, session=" + session + ", from=" + from + "]";
        }
    }

    /** The call is over: forget it, cancel whatever timers are left. */
    record Finish() implements CallAction {}
}

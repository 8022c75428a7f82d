package org.pasarela.transport.sip;

/**
 * What a call may ask of its SIP side once a dialog exists, whichever side sent the INVITE: end it, answer the far
 * end's re-INVITE, send its own re-INVITE or a REFER, send DTMF as INFO, and stop routing its traffic. Calls are
 * asynchronous and keep their order.
 */
public interface DialogLeg {
    /** End the confirmed dialog with BYE; the call hears SipByeCompleted when it is done (or could not be sent). */
    void sendBye();

    /** Answer the pending re-INVITE: 200 with {@code sdp}, or {@code code} with {@code reason} in a Warning. */
    void answerReoffer(int code, String sdp, String reason);

    /**
     * A re-INVITE with {@code sdp} as its offer (RFC 3261 §14.1): the 2xx is ACKed here (and re-ACKed when it is
     * retransmitted); the call hears SipReinviteAnswered with the final code and answer, 408 on a timeout.
     */
    void sendReinvite(String sdp);

    /**
     * REFER with {@code referTo} as its Refer-To (RFC 3515): the call hears SipReferAccepted or SipReferFailed, then
     * each NOTIFY of the implicit subscription (answered 200 here) as SipReferProgress.
     */
    void sendRefer(String referTo);

    /** DTMF as SIP INFO application/dtmf-relay, one request per digit, in order. */
    void sendDtmfInfo(String digits, int durationMs);

    /** The call is over: stop routing SIP traffic to it. */
    void forget();
}

package org.pasarela.call;

/** The timers a call arms; each fires at most once and is cancelled when it no longer matters. */
public enum CallTimer {
    /** The far end did not answer in time: cancel and tell the browser 408. */
    NO_ANSWER,
    /** No final response to our CANCEL within 64*T1 (RFC 3261 §9.1): give up waiting. */
    CANCEL_GUARD,
    /** No response to our BYE within 64*T1: the call is over anyway. */
    BYE_GUARD,
    /** Incoming: nobody accepted within the ring timeout: 480 to the caller, 408 to the ringing sessions. */
    RING_TIMEOUT,
    /** Incoming: no ACK for our 2xx within 64*T1 (RFC 3261 §13.3.1.4): the session is ended with BYE. */
    ACK_GUARD,
    /** Our re-INVITE met 491 (glare): send it again after the RFC 3261 §14.1 wait. */
    REINVITE_RETRY,
    /** A REFER was accepted but no final NOTIFY came in time: the transfer is reported as failed. */
    TRANSFER_GUARD
}

package org.pasarela.history;

/** Who ended a call. */
public enum HangupParty {
    /** The web user: a {@code hangup} request, or the browser went away. */
    CLIENT,
    /** The SIP side: a BYE, or a final failure response to the INVITE. */
    REMOTE,
    /** The gateway itself: no-answer timeout, media lost, an unusable answer, an internal error, a restart. */
    GATEWAY
}

package org.pasarela.call;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where one bridged call is, seen from the SIP INVITE client transaction and dialog it drives (RFC 3261 §13.2.2,
 * §9.1 for CANCEL, §15 for BYE). {@code toString()} gives the name used in logs.
 */
public enum CallState {
    /** Media endpoints are being bound; nothing has been sent to SIP yet. */
    ALLOCATING,
    /** INVITE sent, no provisional response yet (RFC 3261 §17.1.1 "Calling"). */
    INVITING,
    /** A 180/181/182/183 without usable SDP arrived (early dialog, §12.1). */
    RINGING,
    /** A provisional response carried an SDP answer: the browser has a pranswer. */
    EARLY_MEDIA,
    /** 2xx received and ACKed: dialog CONFIRMED. */
    ANSWERED,
    /** CANCEL sent, or waiting for a provisional response before it may be sent (§9.1). */
    CANCELLING,
    /** BYE sent; waiting for its response or its guard timer. */
    ENDING,
    /** Nothing more will happen; the call's resources are released. */
    ENDED;

    /** The transitions this state machine allows; anything else is a bug, not bad input. */
    Set<CallState> next() {
        return switch (this) {
            case ALLOCATING -> EnumSet.of(INVITING, ENDED);
            case INVITING -> EnumSet.of(RINGING, EARLY_MEDIA, ANSWERED, CANCELLING, ENDING, ENDED);
            case RINGING -> EnumSet.of(EARLY_MEDIA, ANSWERED, CANCELLING, ENDING, ENDED);
            case EARLY_MEDIA -> EnumSet.of(ANSWERED, CANCELLING, ENDING, ENDED);
            case ANSWERED -> EnumSet.of(ENDING, ENDED);
            case CANCELLING -> EnumSet.of(ENDING, ENDED);
            case ENDING -> EnumSet.of(ENDED);
            case ENDED -> EnumSet.noneOf(CallState.class);
        };
    }

    boolean isBeforeAnswer() {
        return this == INVITING || this == RINGING || this == EARLY_MEDIA;
    }
}

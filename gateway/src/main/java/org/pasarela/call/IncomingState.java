package org.pasarela.call;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where one incoming call is, seen from the INVITE server transaction and dialog it answers (RFC 3261 §13.3,
 * §9.2 for CANCEL, §15 for BYE). {@code toString()} gives the name used in logs.
 */
public enum IncomingState {
    /** Media endpoints are being bound; the caller has heard nothing but the SIP edge's 100 Trying. */
    ALLOCATING,
    /** 180 sent (early dialog, §12.1) and {@code incoming} sent to every session: waiting for an accept. */
    RINGING,
    /** A session accepted; our 2xx is retransmitted until the caller's ACK (§13.3.1.4). */
    ACCEPTED,
    /** ACK received: dialog CONFIRMED, the winner got {@code answered}. */
    CONFIRMED,
    /** BYE sent; waiting for its response or its guard timer. */
    ENDING,
    /** Nothing more will happen; the call's resources are released. */
    ENDED;

    /** The transitions this state machine allows; anything else is a bug, not bad input. */
    Set<IncomingState> next() {
        return switch (this) {
            case ALLOCATING -> EnumSet.of(RINGING, ENDED);
            case RINGING -> EnumSet.of(ACCEPTED, ENDED);
            case ACCEPTED -> EnumSet.of(CONFIRMED, ENDING, ENDED);
            case CONFIRMED -> EnumSet.of(ENDING, ENDED);
            case ENDING -> EnumSet.of(ENDED);
            case ENDED -> EnumSet.noneOf(IncomingState.class);
        };
    }
}

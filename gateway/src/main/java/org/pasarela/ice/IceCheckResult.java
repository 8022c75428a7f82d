package org.pasarela.ice;

import org.pasarela.stun.TransportAddress;

/** What {@link IceLiteResponder} wants done with one incoming datagram. */
public sealed interface IceCheckResult {

    /** Send the {@code length} bytes written at the caller's output offset to {@code to}. */
    record Reply(TransportAddress to, int length, Outcome outcome) implements IceCheckResult {
    }

    /** Send nothing (RFC 8489 §6.3: malformed messages, indications and stray responses are discarded). */
    record Ignored(String reason) implements IceCheckResult {
    }

    /** Which answer a Binding request got, for logs, metrics and tests. */
    enum Outcome {
        /** Authenticated check answered with a success response; the source address is now validated. */
        ACCEPTED,
        /** As {@link #ACCEPTED}, and the source became the selected address (USE-CANDIDATE). */
        NOMINATED,
        /** 400: USERNAME or MESSAGE-INTEGRITY missing. */
        BAD_REQUEST,
        /** 401: wrong USERNAME or MESSAGE-INTEGRITY. */
        UNAUTHENTICATED,
        /** 420: an unknown comprehension-required attribute. */
        UNKNOWN_ATTRIBUTE,
        /** 487: the peer also claims the controlled role. */
        ROLE_CONFLICT
    }
}

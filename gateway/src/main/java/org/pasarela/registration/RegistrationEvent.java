package org.pasarela.registration;

import java.util.Optional;
import java.util.OptionalInt;
import org.pasarela.sip.DigestChallenge;

/** What happened to a registration: facts from the SIP adapter and the timers, in past tense. */
public sealed interface RegistrationEvent {
    /**
     * A final response to our REGISTER (provisional ones are not reported).
     *
     * @param grantedSeconds the expiry the registrar granted our Contact (its {@code expires} parameter in the 2xx,
     *                       else the Expires header); empty when the 2xx says nothing
     * @param minExpires     the Min-Expires header of a 423 (RFC 3261 §10.3 step 7)
     * @param retryAfter     the Retry-After header in seconds (RFC 3261 §20.33), for 5xx and 404/413/480/486/600/603
     * @param challenge      the parsed WWW-Authenticate (401) or Proxy-Authenticate (407) Digest challenge; empty
     *                       when the header is missing or unusable
     */
    record Responded(int code, String reason, OptionalInt grantedSeconds, OptionalInt minExpires,
                     OptionalInt retryAfter, Optional<DigestChallenge> challenge) implements RegistrationEvent {
        public Responded {
            if (code < 200 || code > 699) {
                throw new IllegalArgumentException("final response code " + code + " is not 200..699");
            }
            reason = reason == null ? "" : reason;
        }

        /** A response with no header the registration cares about. */
        public static Responded plain(int code, String reason) {
            return new Responded(code, reason, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                    Optional.empty());
        }
    }

    /**
     * No final response: the transaction timed out (RFC 3261 §17.1.2.2 Timer F, reported as 408) or the
     * transport failed (DNS, connection refused: reported as 503).
     */
    record NoResponse(int code, String reason) implements RegistrationEvent {
        public NoResponse {
            if (code != 408 && code != 503) {
                throw new IllegalArgumentException("no-response code " + code + " must be 408 or 503");
            }
        }
    }

    /** A timer the registration asked for has fired. */
    record TimerFired(RegistrationTimer timer) implements RegistrationEvent {}
}

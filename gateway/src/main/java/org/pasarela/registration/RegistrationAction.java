package org.pasarela.registration;

import java.time.Duration;
import java.util.Optional;

/** What a registration asks its owner to do, in order, after each event: imperatives. */
public sealed interface RegistrationAction {
    /**
     * Send a REGISTER for the account with {@code Expires: expiresSeconds} (0 removes the binding), within the
     * registration's one Call-ID and with the next CSeq (RFC 3261 §10.2.4), carrying {@code authorization} when
     * present.
     */
    record SendRegister(int expiresSeconds, Optional<Authorization> authorization) implements RegistrationAction {}

    /** An {@code Authorization} or {@code Proxy-Authorization} header answering a challenge (RFC 3261 §22.2). */
    record Authorization(String headerName, String value) {
        @Override
        public String toString() {
            return headerName + ": (digest response)"; // logs must not carry reusable credentials
        }
    }

    /** Tell every interested session: the account is registered for {@code expiresSeconds}. */
    record ReportRegistered(int expiresSeconds) implements RegistrationAction {}

    /** Tell every interested session: registration failed with this SIP (or gateway) code and reason. */
    record ReportFailed(int code, String reason) implements RegistrationAction {}

    record StartTimer(RegistrationTimer timer, Duration after) implements RegistrationAction {}

    record CancelTimer(RegistrationTimer timer) implements RegistrationAction {}

    /** The registration is over (unregistered, or never registered): forget it. */
    record Finish() implements RegistrationAction {}
}

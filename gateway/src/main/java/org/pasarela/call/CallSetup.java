package org.pasarela.call;

import java.time.Duration;
import java.util.Objects;
import org.pasarela.config.SipProfile;
import org.pasarela.config.SipUri;
import org.pasarela.sdp.SessionDescription;

/** Everything decided before a call starts: who calls whom, through which profile, with which offer. */
public record CallSetup(String callId, String requestId, SipProfile profile, SipUri requestUri, String fromUser,
                        SessionDescription browserOffer, Duration noAnswerTimeout) {
    public CallSetup {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(requestUri, "requestUri");
        Objects.requireNonNull(fromUser, "fromUser");
        Objects.requireNonNull(browserOffer, "browserOffer");
        if (noAnswerTimeout.isNegative() || noAnswerTimeout.isZero()) {
            throw new IllegalArgumentException("noAnswerTimeout must be positive, got " + noAnswerTimeout);
        }
    }
}

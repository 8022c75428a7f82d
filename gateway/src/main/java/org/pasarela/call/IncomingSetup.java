package org.pasarela.call;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.pasarela.config.SipProfile;

/**
 * Everything decided before an incoming call starts: which INVITE, for which web user, through which profile, and
 * which of the user's sessions ring (the app decides; with nobody logged in there is no call, only a 480).
 *
 * @param user        the called web user
 * @param from        the caller's SIP URI
 * @param fromName    the caller's display name, or null
 * @param to          the called SIP URI
 * @param sipOfferSdp the INVITE's SDP offer, or null for an INVITE without one (late offer, RFC 3261 §13.2.1)
 * @param ringTimeout how long the sessions ring before the caller gets 480 ({@code call.ring-timeout})
 * @param sessions    the names of the user's sessions to ring, in ring order; at least one, no repeats
 */
public record IncomingSetup(String callId, SipProfile profile, String user, String from, String fromName, String to,
                            String sipOfferSdp, Duration ringTimeout, List<String> sessions) {
    public IncomingSetup {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(ringTimeout, "ringTimeout");
        if (ringTimeout.isNegative() || ringTimeout.isZero()) {
            throw new IllegalArgumentException("ringTimeout must be positive, got " + ringTimeout);
        }
        sessions = List.copyOf(sessions);
        if (sessions.isEmpty()) {
            throw new IllegalArgumentException("call " + callId + ": no session to ring (the caller gets 480 instead)");
        }
        if (new HashSet<>(sessions).size() != sessions.size()) {
            throw new IllegalArgumentException("call " + callId + ": sessions " + sessions + " repeat a name");
        }
    }

    /** Whether the INVITE came without SDP, so the gateway offers in its 200 and the caller answers in the ACK. */
    public boolean lateOffer() {
        return sipOfferSdp == null;
    }
}

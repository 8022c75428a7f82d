package org.pasarela.history;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One call as the history keeps it. Immutable; no I/O.
 *
 * @param id       the record's own id, unique for ever (the gateway's call ids start again at each start-up);
 *                 the paging cursor of the {@code history} request
 * @param callId   the call id the browser saw ({@code c7}); unique only among the calls of one gateway run
 * @param user     the web user who placed or received the call
 * @param peer     the other party: the SIP request URI called (after the profile's dial plan), or the caller
 * @param profile  the SIP profile the call went through
 * @param answered when the call was answered; empty if it never was
 * @param end      how and when it ended; empty while the call is going on
 */
public record CallRecord(String id, String callId, String user, Direction direction, String peer, String profile,
                         Instant started, Optional<Instant> answered, Optional<Ending> end) {

    /** How a call ended: when, with which SIP code and reason, and who ended it. */
    public record Ending(Instant at, int sipCode, String reason, HangupParty by) {
        public Ending {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(by, "by");
            if (sipCode < 100 || sipCode > 699) {
                throw new IllegalArgumentException("sipCode " + sipCode + " is not a SIP status code 100..699");
            }
        }
    }

    public CallRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(answered, "answered");
        Objects.requireNonNull(end, "end");
    }

    /**
     * An incoming call that ended without being answered, and not because the user declined it (hung up by the
     * client) or someone else of their group answered it (ended 200).
     */
    public boolean missed() {
        return direction == Direction.INBOUND && answered.isEmpty() && end.isPresent()
                && end.get().by() != HangupParty.CLIENT && end.get().sipCode() != ANSWERED_ELSEWHERE;
    }

    /** The SIP code of a group member's record when another member answered. */
    public static final int ANSWERED_ELSEWHERE = 200;

    /** Talk time: from answer to end; zero for calls never answered or not ended yet. */
    public Duration talkTime() {
        if (answered.isEmpty() || end.isEmpty() || end.get().at().isBefore(answered.get())) {
            return Duration.ZERO;
        }
        return Duration.between(answered.get(), end.get().at());
    }
}

package org.pasarela.echo;

import java.util.concurrent.ScheduledFuture;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call to the echo service: the INVITE it answered, its dialog, its RTP/RTCP ports and timers.
 * Not thread-safe; owned by the echo service's lane.
 */
final class EchoCall {

    private static final Logger log = LoggerFactory.getLogger(EchoCall.class);

    /** UAS side of an INVITE dialog, RFC 3261 §13.3 and §12 (dialog states early/confirmed/terminated). */
    enum State {
        /** 180 sent, no final response yet: the dialog is early (§13.3.1.1). */
        EARLY,
        /** 200 sent, waiting for the ACK (§13.3.1.4). */
        ANSWERED,
        /** ACK received: the dialog is confirmed (§12). */
        CONFIRMED,
        TERMINATED;

        boolean canMoveTo(State next) {
            switch (this) {
                case EARLY: return next == ANSWERED || next == TERMINATED;
                case ANSWERED: return next == CONFIRMED || next == TERMINATED;
                case CONFIRMED: return next == TERMINATED;
                default: return false;
            }
        }

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    final String callId;
    final ServerTransaction invite;
    final String toTag;
    final RtpEcho.Ports ports;
    final long sessionId;
    /** Null when the INVITE had no SDP and the echo made the offer. */
    final EchoSdp.Selection selection;

    private State state = State.EARLY;
    long sdpVersion = 1;
    Dialog dialog;
    /** True while an offer of ours (in a 200) waits for its answer in the ACK (RFC 3261 §13.2.1). */
    boolean awaitingAnswerInAck;
    ScheduledFuture<?> answerTimer;
    ScheduledFuture<?> sessionTimer;

    EchoCall(String callId, ServerTransaction invite, String toTag, RtpEcho.Ports ports, long sessionId,
             EchoSdp.Selection selection) {
        this.callId = callId;
        this.invite = invite;
        this.toTag = toTag;
        this.ports = ports;
        this.sessionId = sessionId;
        this.selection = selection;
    }

    State state() {
        return state;
    }

    void moveTo(State next, String why) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("echo call " + callId + ": " + state + " -> " + next + " (" + why + ")");
        }
        log.debug("echo call {}: {} -> {} ({})", callId, state, next, why);
        state = next;
    }

    /** Cancels the timers and frees the RTP ports. Idempotent. */
    void release(String why) {
        if (state != State.TERMINATED) moveTo(State.TERMINATED, why);
        if (answerTimer != null) answerTimer.cancel(false);
        if (sessionTimer != null) sessionTimer.cancel(false);
        ports.close();
    }
}

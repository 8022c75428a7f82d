package org.pasarela.app;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pasarela.call.CallAction.SendInvite;
import org.pasarela.history.CallRecord;
import org.pasarela.history.Direction;
import org.pasarela.history.HangupParty;
import org.pasarela.signaling.Answered;
import org.pasarela.signaling.Hangup;
import org.pasarela.signaling.HistoryEntry;
import org.pasarela.signaling.ServerMessage;

/**
 * Follows one session's calls through the actions its runtime carries out and hands their history to the
 * {@link HistoryService}: started at the INVITE, answered at {@code answered}, ended as soon as the outcome is
 * known (the browser's {@code hangup}, or the browser leaving), not when SIP clean-up finishes later, so a
 * {@code history} request right after a {@code hangup} already shows the end. {@code Finish} ends a call that
 * somehow had no outcome.
 *
 * <p>Not thread-safe; owned by the session's lane.
 */
final class CallRecorder {
    private static final class Tracked {
        boolean answered;
        boolean ended;
    }

    private final HistoryService history;
    private final Map<String, Tracked> calls = new HashMap<>();

    CallRecorder(HistoryService history) {
        this.history = history;
    }

    void inviteSent(String callId, String user, SendInvite invite, Instant now) {
        calls.put(callId, new Tracked());
        history.started(callId, user, Direction.OUTBOUND, invite.requestUri().toString(), invite.profile().name(),
                now);
    }

    /**
     * A message for one of the calls went to the browser; {@code cause} is who set off what is being handled now.
     */
    void sentToBrowser(String callId, ServerMessage message, HangupParty cause, Instant now) {
        Tracked call = callId == null ? null : calls.get(callId);
        if (call == null) return;
        if (message instanceof Answered && !call.answered) {
            call.answered = true;
            history.answered(callId, now);
        } else if (message instanceof Hangup hangup) {
            end(callId, call, now, hangup.code(), hangup.reason(), cause);
        }
    }

    /** The browser's WebSocket closed: calls not ended yet end now, because the client left. */
    void clientLeft(Instant now) {
        calls.forEach((callId, call) ->
                end(callId, call, now, call.answered ? 200 : 487, "client disconnected", HangupParty.CLIENT));
    }

    void finished(String callId, Instant now) {
        Tracked call = calls.remove(callId);
        if (call != null) { // null: ended before its INVITE, never a call on the SIP side
            end(callId, call, now, 500, "ended without an outcome", HangupParty.GATEWAY);
        }
    }

    private void end(String callId, Tracked call, Instant now, int code, String reason, HangupParty by) {
        if (!call.ended) {
            call.ended = true;
            history.ended(callId, now, code, reason, by);
        }
    }

    /** The wire form of stored calls, for {@code history} and {@code missed}. */
    static List<HistoryEntry> toWire(List<CallRecord> records) {
        return records.stream().map(CallRecorder::toWire).toList();
    }

    static HistoryEntry toWire(CallRecord r) {
        CallRecord.Ending end = r.end().orElse(null);
        return new HistoryEntry(r.id(), r.callId(), r.direction().name().toLowerCase(Locale.ROOT), r.peer(),
                r.profile(), r.started(), r.answered().orElse(null), end == null ? null : end.at(),
                r.talkTime().toMillis(), end == null ? null : end.sipCode(), end == null ? null : end.reason(),
                end == null ? null : end.by().name().toLowerCase(Locale.ROOT), r.missed());
    }
}

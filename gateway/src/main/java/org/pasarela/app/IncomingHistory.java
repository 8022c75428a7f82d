package org.pasarela.app;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pasarela.history.Direction;
import org.pasarela.history.HangupParty;

/**
 * The call history of one incoming call: one record per user it rang for (one, or each member of a group), opened
 * when the INVITE arrives and ended once the outcome is known. The user who answered gets the answer time; for
 * the others of a group the call ends "answered elsewhere", which is not a missed call. Lane-owned.
 */
final class IncomingHistory {
    private final HistoryService history;
    private final String from;
    private final String profile;
    /** user -> the record's call id (the call's id, or id/user for a group's members, which must be unique). */
    private final Map<String, String> records = new LinkedHashMap<>();
    private String answeredBy;
    private boolean ended;

    IncomingHistory(HistoryService history, String callId, List<String> users, String from, String profile) {
        this.history = history;
        this.from = from;
        this.profile = profile;
        for (String user : users) {
            records.put(user, users.size() == 1 ? callId : callId + "/" + user);
        }
    }

    void started(Instant at) {
        records.forEach((user, recordId) -> history.started(recordId, user, Direction.INBOUND, from, profile, at));
    }

    /** {@code user} accepted the call (the caller's ACK arrived, or the 200 went out). */
    void answered(String user, Instant at) {
        if (answeredBy == null && records.containsKey(user)) {
            answeredBy = user;
            history.answered(records.get(user), at);
        }
    }

    /** The outcome: the SIP code and reason the call ended with, and who ended it. Once. */
    void ended(Instant at, int code, String reason, HangupParty by) {
        if (ended) {
            return;
        }
        ended = true;
        records.forEach((user, recordId) -> {
            if (answeredBy == null || user.equals(answeredBy)) {
                history.ended(recordId, at, code, reason, by);
            } else {
                history.ended(recordId, at, 200, "answered elsewhere", HangupParty.GATEWAY);
            }
        });
    }
}

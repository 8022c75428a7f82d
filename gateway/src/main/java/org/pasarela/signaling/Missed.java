package org.pasarela.signaling;

import java.util.List;

/**
 * {@code {"type":"missed","calls":[...]}}: sent once after a login when calls to the user went unanswered since
 * they were last reported, oldest first. Each missed call is reported once, to the first session that logs in.
 */
public record Missed(List<HistoryEntry> calls) implements ServerMessage {
    public static final String TYPE = "missed";

    public Missed {
        calls = List.copyOf(FieldRules.required(calls, "calls"));
        if (calls.isEmpty()) throw new IllegalArgumentException("calls must not be empty");
    }

    @Override public String type() { return TYPE; }
}

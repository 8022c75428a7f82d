package org.pasarela.signaling;

import java.util.List;

/** {@code {"type":"history","id":"7","calls":[...]}}: the answer to a {@code history} request, newest first. */
public record HistoryReply(String id, List<HistoryEntry> calls) implements ServerMessage {
    public static final String TYPE = "history";

    public HistoryReply {
        FieldRules.token(id, "id");
        calls = List.copyOf(FieldRules.required(calls, "calls"));
    }

    @Override public String type() { return TYPE; }
}

package org.pasarela.signaling;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code {"type":"history","id":"7","limit":20,"before":"2025-03-01T10:00:00Z"}}: asks for the user's calls,
 * newest first. Answered with a {@code history} message carrying the same id.
 *
 * @param limit  1..{@value #MAX_LIMIT} calls, or null for {@value #DEFAULT_LIMIT}
 * @param before only calls that started before this: an ISO-8601 instant, or the {@code id} of the last entry of
 *               the previous page; null for the newest calls
 */
public record HistoryRequest(String id, Integer limit, String before) implements ClientMessage {
    public static final String TYPE = "history";
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public HistoryRequest {
        FieldRules.token(id, "id");
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            throw new IllegalArgumentException("limit " + limit + " is outside 1.." + MAX_LIMIT);
        }
        FieldRules.optionalToken(before, "before");
    }

    /** The number of calls to return: the requested one, or the default. */
    public int effectiveLimit() {
        return limit == null ? DEFAULT_LIMIT : limit;
    }

    /** Whether {@code before} is an instant rather than an entry id. */
    public boolean beforeIsInstant() {
        if (before == null) return false;
        try {
            Instant.parse(before);
            return true;
        } catch (DateTimeParseException notAnInstant) {
            return false;
        }
    }

    @Override public String type() { return TYPE; }
}

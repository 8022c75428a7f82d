package org.pasarela.signaling;

import java.time.Instant;
import java.util.Set;

/**
 * One call in a {@code history} or {@code missed} message (docs/protocol.md, "history").
 *
 * @param id         the entry's id, unique for ever; the {@code before} cursor for the next page
 * @param call       the call id the client saw at the time (ids start again when the gateway restarts)
 * @param direction  {@code outbound} (placed by the user) or {@code inbound}
 * @param peer       the SIP URI called, or the caller
 * @param answer     null when the call was never answered
 * @param end        null while the call goes on
 * @param durationMs talk time, from answer to end; 0 when not answered or not ended
 * @param code       the final code (200 after an answered call, the SIP failure code otherwise); null while open
 * @param reason     why it ended; null while open
 * @param hangupBy   {@code client}, {@code remote} or {@code gateway}; null while open
 * @param missed     an inbound call that ended unanswered
 */
public record HistoryEntry(String id, String call, String direction, String peer, String profile, Instant start,
                           Instant answer, Instant end, long durationMs, Integer code, String reason,
                           String hangupBy, boolean missed) {
    public static final Set<String> DIRECTIONS = Set.of("outbound", "inbound");
    public static final Set<String> HANGUP_PARTIES = Set.of("client", "remote", "gateway");

    public HistoryEntry {
        FieldRules.token(id, "id");
        FieldRules.token(call, "call");
        FieldRules.required(direction, "direction");
        if (!DIRECTIONS.contains(direction)) {
            throw new IllegalArgumentException("direction " + FieldRules.quote(direction)
                    + " must be outbound or inbound");
        }
        FieldRules.required(peer, "peer");
        FieldRules.required(profile, "profile");
        FieldRules.required(start, "start");
        if (durationMs < 0) throw new IllegalArgumentException("durationMs " + durationMs + " must not be negative");
        if (hangupBy != null && !HANGUP_PARTIES.contains(hangupBy)) {
            throw new IllegalArgumentException("hangupBy " + FieldRules.quote(hangupBy)
                    + " must be client, remote or gateway");
        }
        if ((end == null) != (code == null)) {
            throw new IllegalArgumentException("end and code must be both present (ended call) or both absent");
        }
    }
}

package org.pasarela.signaling;

/**
 * {@code {"type":"hold","id":"7","call":"c1"}} and {@code {"type":"unhold","id":"8","call":"c1"}}: puts an answered
 * call on hold (the gateway re-INVITEs the SIP side with {@code a=sendonly}, or {@code inactive} when the far end
 * already holds the call, and stops relaying the browser's audio) or takes it off hold ({@code a=sendrecv}). The
 * {@code ack} comes once the SIP side accepted; an {@code error} when it did not (docs/protocol.md §3).
 *
 * @param hold true for {@code hold}, false for {@code unhold}
 */
public record HoldRequest(String id, String call, boolean hold) implements ClientMessage {
    public static final String HOLD = "hold";
    public static final String UNHOLD = "unhold";

    public HoldRequest {
        FieldRules.optionalToken(id, "id");
        FieldRules.token(call, "call");
    }

    @Override public String type() { return hold ? HOLD : UNHOLD; }
}

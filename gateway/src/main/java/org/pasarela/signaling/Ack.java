package org.pasarela.signaling;

/**
 * {@code {"type":"ack","id":"2","call":"c1"}}: the request with this id was accepted. For {@code call} it carries
 * the new gateway-assigned call id; otherwise {@code call} is the request's call, or null.
 */
public record Ack(String id, String call) implements ServerMessage {
    public static final String TYPE = "ack";

    public Ack {
        FieldRules.token(id, "id");
        FieldRules.optionalToken(call, "call");
    }

    @Override public String type() { return TYPE; }
}

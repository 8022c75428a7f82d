package org.pasarela.signaling;

/**
 * {@code {"type":"hangup","call":"c1"}}: ends a call in any state. The gateway still sends the call's one
 * {@code hangup} event (200 after answer, 487 before).
 */
public record HangupRequest(String id, String call) implements ClientMessage {
    public static final String TYPE = "hangup";

    public HangupRequest {
        FieldRules.optionalToken(id, "id");
        FieldRules.token(call, "call");
    }

    @Override public String type() { return TYPE; }
}

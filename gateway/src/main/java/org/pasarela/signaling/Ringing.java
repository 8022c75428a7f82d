package org.pasarela.signaling;

/** {@code {"type":"ringing","call":"c1"}}: the far end is alerting (SIP 180 without SDP). */
public record Ringing(String call) implements ServerMessage {
    public static final String TYPE = "ringing";

    public Ringing {
        FieldRules.token(call, "call");
    }

    @Override public String type() { return TYPE; }
}

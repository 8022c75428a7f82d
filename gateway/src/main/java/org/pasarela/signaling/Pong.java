package org.pasarela.signaling;

/** {@code {"type":"pong","id":"9"}}: the answer to {@link PingRequest}, with the same id. */
public record Pong(String id) implements ServerMessage {
    public static final String TYPE = "pong";

    public Pong {
        FieldRules.token(id, "id");
    }

    @Override public String type() { return TYPE; }
}

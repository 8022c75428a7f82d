package org.pasarela.signaling;

/**
 * {@code {"type":"ping","id":"9"}}: an application-level keepalive for clients behind proxies that drop idle
 * WebSockets or cannot see WebSocket ping frames; answered with {@link Pong}, not {@code ack}.
 */
public record PingRequest(String id) implements ClientMessage {
    public static final String TYPE = "ping";

    public PingRequest {
        FieldRules.token(id, "id");
    }

    @Override public String type() { return TYPE; }
}

package org.pasarela.signaling;

/**
 * {@code {"type":"login","id":"1","user":"alice","password":"secret"}}: authenticates the WebSocket session; a
 * {@code call} before a successful login is refused with 401.
 */
public record LoginRequest(String id, String user, String password) implements ClientMessage {
    public static final String TYPE = "login";

    public LoginRequest {
        FieldRules.token(id, "id");
        FieldRules.text(user, "user", 256);
        FieldRules.bounded(FieldRules.required(password, "password"), "password", 1024);
    }

    @Override public String type() { return TYPE; }

    /** Never prints the password: records end up in logs. */
    @Override public String toString() {
        return "LoginRequest[id=" + id + ", user=" + user + ", password=***]";
    }
}

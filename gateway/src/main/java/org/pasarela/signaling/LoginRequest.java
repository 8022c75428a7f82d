package org.pasarela.signaling;

/**
 * {@code {"type":"login","id":"1","user":"alice","password":"secret"}} or
 * {@code {"type":"login","id":"1","token":"<JWT>"}}: authenticates the WebSocket session, either with a user name
 * and password or with a signed token (JWS compact serialisation) whose {@code sub} names the user; exactly one of
 * {@code password} and {@code token}. With a token, {@code user} is optional and, when given, must equal the
 * token's {@code sub}. Every request but {@code ping} before a successful login is refused with 401.
 */
public record LoginRequest(String id, String user, String password, String token) implements ClientMessage {
    public static final String TYPE = "login";
    /** Longest accepted token; signed JWTs with a handful of claims are well under 2,000 characters. */
    public static final int MAX_TOKEN_LENGTH = 8192;

    public LoginRequest {
        FieldRules.token(id, "id");
        if ((password == null) == (token == null)) {
            throw new IllegalArgumentException(password == null
                    ? "missing field \"password\" (or \"token\"): give exactly one of them"
                    : "fields \"password\" and \"token\" are both given: give exactly one of them");
        }
        if (token == null) {
            FieldRules.text(user, "user", 256);
            FieldRules.bounded(password, "password", 1024);
        } else {
            if (user != null) FieldRules.text(user, "user", 256);
            FieldRules.text(token, "token", MAX_TOKEN_LENGTH);
        }
    }

    /** A password login. */
    public LoginRequest(String id, String user, String password) {
        this(id, user, password, null);
    }

    /** A token login; the user is the token's {@code sub}. */
    public static LoginRequest withToken(String id, String token) {
        return new LoginRequest(id, null, null, token);
    }

    @Override public String type() { return TYPE; }

    /** Never prints the password or the token: records end up in logs. */
    @Override public String toString() {
        return "LoginRequest[id=" + id + ", user=" + user + (password != null ? ", password=***" : "")
                + (token != null ? ", token=***" : "") + "]";
    }
}

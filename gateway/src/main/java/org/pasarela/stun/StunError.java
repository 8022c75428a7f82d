package org.pasarela.stun;

import java.nio.charset.StandardCharsets;

/**
 * The ERROR-CODE values an ICE-lite agent answers with, and their reason phrases (RFC 8489 §14.8, RFC 8445 §16.1).
 */
public enum StunError {
    BAD_REQUEST(400, "Bad Request"),
    UNAUTHENTICATED(401, "Unauthenticated"),
    UNKNOWN_ATTRIBUTE(420, "Unknown Attribute"),
    ROLE_CONFLICT(487, "Role Conflict");

    private final int code;
    private final byte[] reason;

    StunError(int code, String reason) {
        this.code = code;
        this.reason = reason.getBytes(StandardCharsets.UTF_8);
    }

    public int code() {
        return code;
    }

    byte[] reasonBytes() {
        return reason;
    }
}

package org.pasarela.stun;

/**
 * Bytes that are not an acceptable STUN message (RFC 8489 §6, §14), or a value that cannot be written as one. The
 * message names the offending field and, for parse errors, its byte offset within the message.
 */
public final class StunException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StunException(String message) {
        super(message);
    }
}

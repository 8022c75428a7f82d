package org.pasarela.dialplan;

/** A destination the browser asked for that cannot be dialled; the message says why and is safe to show the user. */
public final class DialException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DialException(String message) {
        super(message);
    }
}

package org.pasarela.auth;

/** A login token that is refused; the message says why without quoting the token. */
public final class TokenException extends Exception {
    public TokenException(String message) {
        super(message);
    }
}

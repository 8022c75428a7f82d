package org.pasarela.sip;

/** A digest challenge that cannot be parsed or answered; the message names the offending part. */
public final class DigestException extends RuntimeException {
    public DigestException(String message) {
        super(message);
    }
}

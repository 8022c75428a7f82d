package org.pasarela.transport.sip;

/** A PEM file for SIP over TLS is missing, unreadable or not what its key says: the message names the file. */
public final class TlsMaterialException extends Exception {
    public TlsMaterialException(String message) {
        super(message);
    }

    public TlsMaterialException(String message, Throwable cause) {
        super(message, cause);
    }
}

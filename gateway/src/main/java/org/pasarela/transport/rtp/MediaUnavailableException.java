package org.pasarela.transport.rtp;

/** A new call cannot have media now; the message says why, in words an operator can act on. */
public class MediaUnavailableException extends Exception {
    protected MediaUnavailableException(String message) {
        super(message);
    }

    /** Seconds until a new call may find room, when the cause can tell; 0 when it cannot. */
    public int retryAfterSeconds() {
        return 0;
    }
}

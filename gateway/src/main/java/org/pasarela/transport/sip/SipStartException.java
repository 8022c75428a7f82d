package org.pasarela.transport.sip;

/** The SIP stack could not start: the message names the address, port and transport at fault. */
public final class SipStartException extends Exception {
    public SipStartException(String message) {
        super(message);
    }

    public SipStartException(String message, Throwable cause) {
        super(message, cause);
    }
}

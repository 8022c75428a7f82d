package org.pasarela.config;

/** Text that is not a SIP URI this gateway accepts; the message says what is wrong with it. */
public final class SipUriException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SipUriException(String message) {
        super(message);
    }
}

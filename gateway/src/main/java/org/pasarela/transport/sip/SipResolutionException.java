package org.pasarela.transport.sip;

/** A profile's proxy could not be turned into an address to send to. */
public final class SipResolutionException extends Exception {
    public SipResolutionException(String message) {
        super(message);
    }
}

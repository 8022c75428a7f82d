package org.pasarela.echo;

/**
 * An SDP body the echo service cannot accept. Carries the RFC 3261 §20.43 warning code that goes into the
 * {@code Warning} header of the 488 response; the message says what was wrong.
 */
final class EchoSdpException extends Exception {
    private final int warningCode;

    EchoSdpException(int warningCode, String message) {
        super(message);
        this.warningCode = warningCode;
    }

    int warningCode() {
        return warningCode;
    }
}

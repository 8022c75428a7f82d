package org.pasarela.bridge;

/**
 * An SDP that the gateway cannot bridge, with a message that says precisely why, e.g. {@code offer has no audio
 * m-line} or {@code SIP answer chose payload type 18 that was not offered}. The call layer turns it into a
 * rejection of the offer (browser side) or a hang-up (SIP side).
 */
public final class BridgeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BridgeException(String message) {
        super(message);
    }
}

package org.pasarela.sdp;

/**
 * An SDP that cannot be parsed, or an SDP value that is malformed. The message names the offending line (with its
 * number when it came from {@link SdpParser}) and what is wrong with it.
 */
public final class SdpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SdpException(String message) {
        super(message);
    }
}

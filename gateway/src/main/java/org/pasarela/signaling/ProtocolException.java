package org.pasarela.signaling;

import java.util.Optional;

/**
 * A text frame that is not a valid signaling message. The message says precisely what is wrong
 * ({@code call: missing field "to"}); {@link #code()} is {@link ErrorCodes#BAD_REQUEST} or
 * {@link ErrorCodes#TOO_LARGE}. The request's {@code id} and {@code call} are kept when they could be read before
 * the failure, so that the {@code error} reply can be matched by the client.
 */
public final class ProtocolException extends RuntimeException {
    private final int code;
    private final String requestId;
    private final String call;

    public ProtocolException(int code, String message, String requestId, String call) {
        super(message);
        this.code = code;
        this.requestId = requestId;
        this.call = call;
    }

    static ProtocolException badRequest(String message, String requestId, String call) {
        return new ProtocolException(ErrorCodes.BAD_REQUEST, message, requestId, call);
    }

    public int code() { return code; }

    /** The {@code id} of the failed request, when it was a valid id and could be read. */
    public Optional<String> requestId() { return Optional.ofNullable(requestId); }

    /** The {@code call} of the failed request, when it was a valid call id and could be read. */
    public Optional<String> call() { return Optional.ofNullable(call); }

    /** The {@code error} message the gateway sends back for this failure. */
    public ErrorMessage toErrorMessage() {
        return new ErrorMessage(requestId, call, code, getMessage());
    }
}

package org.pasarela.signaling;

/**
 * The numeric codes of {@code error} and {@code hangup} messages, in one place. They follow HTTP/SIP status
 * semantics so that a SIP failure (3xx-6xx) can be passed to the browser unchanged in {@code hangup}.
 */
public final class ErrorCodes {
    /** {@code hangup} only: the call was answered and then ended normally (by either side). */
    public static final int OK = 200;
    /** Malformed JSON, missing or mistyped field, unknown type, value out of range. */
    public static final int BAD_REQUEST = 400;
    /** Not logged in, or bad credentials in {@code login}. */
    public static final int UNAUTHORIZED = 401;
    /** Logged in, but not allowed (for example to call this destination or use this profile). */
    public static final int FORBIDDEN = 403;
    /** Unknown call id or unknown SIP profile. */
    public static final int NOT_FOUND = 404;
    /** {@code hangup} only: nobody answered in time, or the SIP transaction timed out. */
    public static final int REQUEST_TIMEOUT = 408;
    /** The request is not valid in the call's current state (e.g. {@code dtmf} before the call has media). */
    public static final int CONFLICT = 409;
    /** The message is larger than {@link SignalingCodec#MAX_MESSAGE_BYTES}. */
    public static final int TOO_LARGE = 413;
    /** The session or the gateway already has as many calls as it allows. */
    public static final int TOO_MANY_CALLS = 429;
    /** Too many failed logins from this address or for this user: banned for a while ({@code login} only). */
    public static final int TOO_MANY_REQUESTS = 429;
    /** {@code hangup} only: the client hung up before the call was answered (SIP 487 Request Terminated). */
    public static final int CANCELLED = 487;
    /** The SDP in the offer or the SIP answer cannot be used (no common codec, no DTLS fingerprint, ...). */
    public static final int NOT_ACCEPTABLE_HERE = 488;
    /** A bug or unexpected failure inside the gateway; the call, if any, is torn down. */
    public static final int INTERNAL_ERROR = 500;
    /** The gateway is shutting down, or the SIP side cannot be reached. */
    public static final int NOT_IMPLEMENTED = 501;
    public static final int SERVICE_UNAVAILABLE = 503;

    private ErrorCodes() {}

    /** The reason text the gateway uses when it has nothing more specific to say. */
    public static String defaultReason(int code) {
        return switch (code) {
            case OK -> "hung up";
            case BAD_REQUEST -> "bad request";
            case UNAUTHORIZED -> "not logged in";
            case FORBIDDEN -> "forbidden";
            case NOT_FOUND -> "not found";
            case REQUEST_TIMEOUT -> "no answer";
            case CONFLICT -> "not valid in the call's state";
            case TOO_LARGE -> "message too large";
            case TOO_MANY_CALLS -> "too many calls";
            case CANCELLED -> "cancelled by client";
            case NOT_ACCEPTABLE_HERE -> "SDP cannot be used";
            case INTERNAL_ERROR -> "internal error";
            case NOT_IMPLEMENTED -> "not supported by this gateway";
            case SERVICE_UNAVAILABLE -> "service unavailable";
            default -> "error " + code;
        };
    }
}

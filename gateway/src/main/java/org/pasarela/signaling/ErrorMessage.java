package org.pasarela.signaling;

/**
 * {@code {"type":"error","id":"2","code":400,"reason":"call: missing field \"to\""}}: a request was refused. The
 * session and any other calls go on; a refused {@code call} never produces a {@code hangup}.
 *
 * @param id         the refused request's id, or null when it had none or it could not be read
 * @param call       the call the refused request named, or null
 * @param code       one of {@link ErrorCodes}, 400..599, or a SIP final failure 400..699 the far end gave to an
 *                   in-dialog request ({@code hold}, {@code unhold}, {@code transfer})
 * @param retryAfter seconds before the same request can succeed, as HTTP's and SIP's Retry-After; 0 when nobody
 *                   can tell. Only a 429 or 503 carries one: the refusals that pass with time
 */
public record ErrorMessage(String id, String call, int code, String reason, int retryAfter) implements ServerMessage {
    public static final String TYPE = "error";

    public ErrorMessage {
        FieldRules.optionalToken(id, "id");
        FieldRules.optionalToken(call, "call");
        if (code < 400 || code > 699) throw new IllegalArgumentException("code " + code + " is outside 400..699");
        FieldRules.required(reason, "reason");
        if (retryAfter < 0) throw new IllegalArgumentException("retryAfter " + retryAfter + " is negative");
        if (retryAfter > 0 && code != ErrorCodes.TOO_MANY_REQUESTS && code != ErrorCodes.SERVICE_UNAVAILABLE) {
            throw new IllegalArgumentException("retryAfter is for 429 and 503, not " + code);
        }
    }

    /** A refusal that waiting will not change, or whose end nobody can tell. */
    public ErrorMessage(String id, String call, int code, String reason) {
        this(id, call, code, reason, 0);
    }

    @Override public String type() { return TYPE; }
}

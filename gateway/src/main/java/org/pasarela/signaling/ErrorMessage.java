package org.pasarela.signaling;

/**
 * {@code {"type":"error","id":"2","code":400,"reason":"call: missing field \"to\""}}: a request was refused. The
 * session and any other calls go on; a refused {@code call} never produces a {@code hangup}.
 *
 * @param id   the refused request's id, or null when it had none or it could not be read
 * @param call the call the refused request named, or null
 * @param code one of {@link ErrorCodes}, 400..599, or a SIP final failure 400..699 the far end gave to an
 *             in-dialog request ({@code hold}, {@code unhold}, {@code transfer})
 */
public record ErrorMessage(String id, String call, int code, String reason) implements ServerMessage {
    public static final String TYPE = "error";

    public ErrorMessage {
        FieldRules.optionalToken(id, "id");
        FieldRules.optionalToken(call, "call");
        if (code < 400 || code > 699) throw new IllegalArgumentException("code " + code + " is outside 400..699");
        FieldRules.required(reason, "reason");
    }

    @Override public String type() { return TYPE; }
}

package org.pasarela.signaling;

/**
 * {@code {"type":"transfer-failed","call":"c1","code":486,"reason":"Busy Here"}}: a blind transfer whose REFER
 * was accepted did not reach its target. {@code code} is the status line of the far end's final NOTIFY
 * (message/sipfrag, 300..699), or 408 when no outcome came in time. The call goes on, still with the far end.
 */
public record TransferFailed(String call, int code, String reason) implements ServerMessage {
    public static final String TYPE = "transfer-failed";

    public TransferFailed {
        FieldRules.token(call, "call");
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("code " + code + " must be 300..699");
        }
        FieldRules.required(reason, "reason");
    }

    @Override public String type() { return TYPE; }
}

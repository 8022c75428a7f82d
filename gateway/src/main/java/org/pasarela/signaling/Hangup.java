package org.pasarela.signaling;

/**
 * {@code {"type":"hangup","call":"c1","code":486,"reason":"Busy Here"}}: the call is over. Every call that was
 * acknowledged ends with exactly one of these, whoever ended it.
 *
 * @param code 200 for a normal end after answer, a SIP final failure code 300..699, or a gateway code from
 *             {@link ErrorCodes} (408, 487, 488, 500, 503)
 */
public record Hangup(String call, int code, String reason) implements ServerMessage {
    public static final String TYPE = "hangup";

    public Hangup {
        FieldRules.token(call, "call");
        if (code != ErrorCodes.OK && (code < 300 || code > 699)) {
            throw new IllegalArgumentException("code " + code + " must be 200 or 300..699");
        }
        FieldRules.required(reason, "reason");
    }

    /** The client hung up an answered call (docs/protocol.md §6). */
    public static Hangup byClient(String call) {
        return new Hangup(call, ErrorCodes.OK, "hung up by client");
    }

    /** The client hung up before the answer; the gateway sent CANCEL. */
    public static Hangup cancelledByClient(String call) {
        return new Hangup(call, ErrorCodes.CANCELLED, "cancelled by client");
    }

    /** The far end sent BYE after the answer. */
    public static Hangup byRemoteParty(String call) {
        return new Hangup(call, ErrorCodes.OK, "hung up by remote party");
    }

    @Override public String type() { return TYPE; }
}

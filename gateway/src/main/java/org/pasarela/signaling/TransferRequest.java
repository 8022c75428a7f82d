package org.pasarela.signaling;

/**
 * {@code {"type":"transfer","id":"9","call":"c1","to":"+34911234567"}}: blind transfer of an answered call (SIP
 * REFER, RFC 3515). {@code to} is dialled like a {@code call}'s: the call's profile rewrites it and the toll-fraud
 * rules must allow it. The {@code ack} means the far end accepted the REFER (202); the call then ends with
 * {@code hangup} 200 "transferred", or goes on after a {@code transfer-failed}.
 *
 * @param to a number, a user name, or a SIP URI on profiles that allow them (at most 256 characters)
 */
public record TransferRequest(String id, String call, String to) implements ClientMessage {
    public static final String TYPE = "transfer";

    public TransferRequest {
        FieldRules.optionalToken(id, "id");
        FieldRules.token(call, "call");
        FieldRules.required(to, "to");
    }

    @Override public String type() { return TYPE; }
}

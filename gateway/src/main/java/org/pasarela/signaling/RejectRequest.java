package org.pasarela.signaling;

/**
 * {@code {"type":"reject","id":"8","call":"c7","everywhere":false}}: this session will not take the incoming call.
 * The session gets {@code hangup} 486 "rejected"; the caller hears 486 Busy Here once no session rings any more.
 * With {@code everywhere} the caller hears 603 Decline at once and the user's other sessions stop ringing.
 *
 * @param id         optional correlation id: {@code ack} if present
 * @param everywhere decline on every session of the user (absent means false)
 */
public record RejectRequest(String id, String call, boolean everywhere) implements ClientMessage {
    public static final String TYPE = "reject";

    public RejectRequest {
        FieldRules.optionalToken(id, "id");
        FieldRules.token(call, "call");
    }

    @Override public String type() { return TYPE; }
}

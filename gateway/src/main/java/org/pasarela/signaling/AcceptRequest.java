package org.pasarela.signaling;

/**
 * {@code {"type":"accept","id":"7","call":"c7","jsep":{"type":"answer","sdp":"..."}}}: answers an incoming call
 * that rings on this session with the browser's JSEP answer to the {@code incoming} offer. The first accept wins;
 * the others get {@code error} 409.
 *
 * @param id   required: the client must learn whether it won (ack), lost (409) or must retry (488)
 * @param call the incoming call's id, from the {@code incoming} message
 * @param jsep the browser's answer; {@code jsep.type} must be "answer"
 */
public record AcceptRequest(String id, String call, Jsep jsep) implements ClientMessage {
    public static final String TYPE = "accept";

    public AcceptRequest {
        FieldRules.token(id, "id");
        FieldRules.token(call, "call");
        FieldRules.required(jsep, "jsep").requireType(Jsep.ANSWER);
    }

    @Override public String type() { return TYPE; }
}

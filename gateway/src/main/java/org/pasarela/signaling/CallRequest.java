package org.pasarela.signaling;

/**
 * {@code {"type":"call","id":"2","to":"+34931234567","profile":"trunk","jsep":{"type":"offer","sdp":"..."}}}:
 * places a call. The {@code ack} answering it carries the gateway-assigned call id.
 *
 * @param id      required: the ack is the only way the client learns the call id
 * @param to      the destination as the user typed it; the dial plan rewrites it
 * @param profile the SIP profile to route through, or null for the gateway's default
 * @param jsep    the browser's offer
 */
public record CallRequest(String id, String to, String profile, Jsep jsep) implements ClientMessage {
    public static final String TYPE = "call";

    public CallRequest {
        FieldRules.token(id, "id");
        FieldRules.text(to, "to", 256);
        FieldRules.optionalProfile(profile);
        FieldRules.required(jsep, "jsep").requireType(Jsep.OFFER);
    }

    @Override public String type() { return TYPE; }
}

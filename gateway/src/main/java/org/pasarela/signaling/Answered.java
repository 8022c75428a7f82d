package org.pasarela.signaling;

/**
 * {@code {"type":"answered","call":"c1","jsep":{"type":"answer","sdp":"..."}}}: the far end answered (SIP 200);
 * the answer carries the gateway's ICE-lite host candidate, ICE credentials and DTLS fingerprint.
 */
public record Answered(String call, Jsep jsep) implements ServerMessage {
    public static final String TYPE = "answered";

    public Answered {
        FieldRules.token(call, "call");
        FieldRules.required(jsep, "jsep").requireType(Jsep.ANSWER);
    }

    @Override public String type() { return TYPE; }
}

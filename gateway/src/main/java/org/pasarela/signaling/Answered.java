package org.pasarela.signaling;

/**
 * {@code {"type":"answered","call":"c1","jsep":{"type":"answer","sdp":"..."}}}: the far end answered (SIP 200);
 * the answer carries the gateway's ICE-lite host candidate, ICE credentials and DTLS fingerprint. For an incoming
 * call, {@code {"type":"answered","call":"c7"}} without jsep: the caller confirmed (ACK) the session's accept, and
 * the browser already holds both descriptions.
 *
 * @param jsep the answer of an outbound call; null for an incoming call
 */
public record Answered(String call, Jsep jsep) implements ServerMessage {
    public static final String TYPE = "answered";

    public Answered {
        FieldRules.token(call, "call");
        if (jsep != null) jsep.requireType(Jsep.ANSWER);
    }

    /** The {@code answered} of an incoming call: no description, the browser made the answer itself. */
    public static Answered confirmed(String call) {
        return new Answered(call, null);
    }

    @Override public String type() { return TYPE; }
}

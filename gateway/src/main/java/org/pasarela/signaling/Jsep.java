package org.pasarela.signaling;

import java.util.Set;

/**
 * A JSEP session description as the browser's {@code RTCSessionDescriptionInit} carries it (RFC 8829 §5.7):
 * {@code {"type":"offer","sdp":"v=0\r\n..."}}. The SDP itself is not parsed here; that is the sdp package's job.
 *
 * @param type "offer", "answer" or "pranswer" ("rollback" is not used: the gateway never renegotiates)
 * @param sdp  the session description text, not empty
 */
public record Jsep(String type, String sdp) {
    public static final String OFFER = "offer";
    public static final String ANSWER = "answer";
    public static final String PRANSWER = "pranswer";

    private static final Set<String> TYPES = Set.of(OFFER, ANSWER, PRANSWER);

    public Jsep {
        FieldRules.required(type, "jsep.type");
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException(
                    "jsep.type must be \"offer\", \"answer\" or \"pranswer\", got " + FieldRules.quote(type));
        }
        FieldRules.required(sdp, "jsep.sdp");
        if (sdp.isEmpty()) throw new IllegalArgumentException("field \"jsep.sdp\" must not be empty");
    }

    public static Jsep offer(String sdp) { return new Jsep(OFFER, sdp); }

    public static Jsep answer(String sdp) { return new Jsep(ANSWER, sdp); }

    public static Jsep pranswer(String sdp) { return new Jsep(PRANSWER, sdp); }

    /** Throws unless this description has the given type; the message names the field that carries it. */
    Jsep requireType(String expected) {
        if (!type.equals(expected)) {
            throw new IllegalArgumentException(
                    "jsep.type must be " + FieldRules.quote(expected) + ", got " + FieldRules.quote(type));
        }
        return this;
    }

    @Override public String toString() {
        return "Jsep[type=" + type + ", sdp=" + sdp.length() + " chars]";
    }
}

package org.pasarela.signaling;

/**
 * {@code {"type":"progress","call":"c1","jsep":{"type":"pranswer","sdp":"..."}}}: session progress (SIP 183, or a
 * 180 with SDP). With a pranswer the browser can play early media (ringback tones, announcements).
 *
 * @param jsep a pranswer, or null when the progress carries no media description
 */
public record Progress(String call, Jsep jsep) implements ServerMessage {
    public static final String TYPE = "progress";

    public Progress {
        FieldRules.token(call, "call");
        if (jsep != null) jsep.requireType(Jsep.PRANSWER);
    }

    @Override public String type() { return TYPE; }
}

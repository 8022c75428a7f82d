package org.pasarela.signaling;

/**
 * {@code {"type":"candidate","call":"c1","candidate":{...}}}: a gateway ICE candidate trickled after the
 * description, or with {@code "candidate":null} the end of the gateway's candidates.
 */
public record CandidateEvent(String call, IceCandidate candidate) implements ServerMessage {
    public static final String TYPE = "candidate";

    public CandidateEvent {
        FieldRules.token(call, "call");
    }

    public boolean isEndOfCandidates() { return candidate == null; }

    @Override public String type() { return TYPE; }
}

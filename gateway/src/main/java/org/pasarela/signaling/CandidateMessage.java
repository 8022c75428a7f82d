package org.pasarela.signaling;

/**
 * {@code {"type":"candidate","call":"c1","candidate":{...}}}: one trickled browser ICE candidate, or with
 * {@code "candidate":null} (or {@code {"candidate":""}}) the end of the browser's candidates.
 *
 * @param id        optional correlation id
 * @param call      the gateway-assigned call id from the call's ack
 * @param candidate the candidate, or null for end-of-candidates
 */
public record CandidateMessage(String id, String call, IceCandidate candidate) implements ClientMessage {
    public static final String TYPE = "candidate";

    public CandidateMessage {
        FieldRules.optionalToken(id, "id");
        FieldRules.token(call, "call");
    }

    /** End-of-candidates: the browser finished gathering (its last {@code icecandidate} event). */
    public static CandidateMessage endOfCandidates(String id, String call) {
        return new CandidateMessage(id, call, null);
    }

    public boolean isEndOfCandidates() { return candidate == null; }

    @Override public String type() { return TYPE; }
}

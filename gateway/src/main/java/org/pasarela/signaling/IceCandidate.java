package org.pasarela.signaling;

/**
 * One trickled ICE candidate, shaped like the browser's {@code RTCIceCandidateInit} (W3C webrtc-pc §4.8.1.1) so
 * that {@code JSON.stringify(event.candidate)} can be sent as is.
 *
 * <p>End-of-candidates is not an {@code IceCandidate}: it is a {@code null} candidate in {@link CandidateMessage}
 * and {@link CandidateEvent}.
 *
 * @param candidate        the candidate-attribute of RFC 8839 §5.1 without the "a=" prefix, e.g.
 *                         {@code candidate:2416846712 1 udp 2122194687 192.0.2.2 43214 typ host generation 0}
 * @param sdpMid           the media section's mid, or null
 * @param sdpMLineIndex    the media section's index 0..65535, or null; at least one of the two must be present,
 *                         as browsers require in {@code addIceCandidate}
 * @param usernameFragment the ICE ufrag the candidate belongs to, or null
 */
public record IceCandidate(String candidate, String sdpMid, Integer sdpMLineIndex, String usernameFragment) {
    static final String PREFIX = "candidate:";
    static final int MAX_CANDIDATE_LENGTH = 1024;
    static final int MAX_MLINE_INDEX = 65535;

    public IceCandidate {
        FieldRules.required(candidate, "candidate.candidate");
        FieldRules.bounded(candidate, "candidate.candidate", MAX_CANDIDATE_LENGTH);
        if (!candidate.startsWith(PREFIX)) {
            throw new IllegalArgumentException(
                    "candidate.candidate must start with \"candidate:\", got " + FieldRules.quote(candidate));
        }
        if (sdpMid != null) FieldRules.bounded(sdpMid, "candidate.sdpMid", 32);
        if (sdpMLineIndex != null && (sdpMLineIndex < 0 || sdpMLineIndex > MAX_MLINE_INDEX)) {
            throw new IllegalArgumentException(
                    "candidate.sdpMLineIndex " + sdpMLineIndex + " is outside 0.." + MAX_MLINE_INDEX);
        }
        if (sdpMid == null && sdpMLineIndex == null) {
            throw new IllegalArgumentException("candidate needs \"sdpMid\" or \"sdpMLineIndex\"");
        }
        if (usernameFragment != null) FieldRules.bounded(usernameFragment, "candidate.usernameFragment", 256);
    }
}

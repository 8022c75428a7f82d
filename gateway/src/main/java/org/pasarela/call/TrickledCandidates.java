package org.pasarela.call;

import java.util.ArrayList;
import java.util.List;
import org.pasarela.signaling.IceCandidate;

/**
 * The browser's trickled ICE candidates of one call, kept for the media plane, until end-of-candidates. Not
 * thread-safe; owned by the call.
 */
final class TrickledCandidates {
    private final List<IceCandidate> candidates = new ArrayList<>();
    private boolean complete;

    /** Adds one candidate; null is end-of-candidates, after which nothing more is kept (RFC 8838 §13). */
    void add(IceCandidate candidate) {
        if (candidate == null) {
            complete = true;
        } else if (!complete) {
            candidates.add(candidate);
        }
    }

    List<IceCandidate> list() {
        return List.copyOf(candidates);
    }

    boolean complete() {
        return complete;
    }
}

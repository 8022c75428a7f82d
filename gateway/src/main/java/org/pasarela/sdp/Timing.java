package org.pasarela.sdp;

import java.util.List;
import java.util.Objects;

/** A {@code t=} line with the {@code r=} lines that follow it (RFC 8866 §5.9, §5.10), repeats kept verbatim. */
public record Timing(long startTime, long stopTime, List<String> repeats) {

    public Timing {
        if (startTime < 0 || stopTime < 0) throw new IllegalArgumentException("t= times must not be negative");
        repeats = List.copyOf(Objects.requireNonNull(repeats, "repeats"));
        repeats.forEach(r -> SdpText.requireSingleLine(r, "r= value"));
    }

    /** {@code t=0 0}: an unbounded session, what every SIP and WebRTC endpoint sends. */
    public static Timing unbounded() {
        return new Timing(0, 0, List.of());
    }
}

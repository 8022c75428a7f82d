package org.pasarela.bridge;

import java.util.Objects;

/**
 * One codec as both legs number it: the relay rewrites the RTP payload type between the two numbers.
 */
public record BridgedCodec(int browserPayloadType, int sipPayloadType, String encoding, int clockRate) {

    public BridgedCodec {
        Objects.requireNonNull(encoding, "encoding");
        if (browserPayloadType < 0 || browserPayloadType > 127 || sipPayloadType < 0 || sipPayloadType > 127) {
            throw new IllegalArgumentException("payload types must be within 0-127");
        }
        if (clockRate <= 0) throw new IllegalArgumentException("clockRate " + clockRate + " is not positive");
    }
}

package org.pasarela.echo;

import java.time.Duration;

/**
 * Tunables of the echo service.
 *
 * @param ringingDelay    time between 180 Ringing and 200 OK, so a caller sees "ringing"; zero in tests
 * @param maxCallDuration calls are ended with BYE after this long, so nothing stays forever
 * @param maxCalls        concurrent calls beyond this get 486 Busy Here
 */
record EchoSettings(Duration ringingDelay, Duration maxCallDuration, int maxCalls) {
    EchoSettings {
        if (ringingDelay == null || ringingDelay.isNegative()) {
            throw new IllegalArgumentException("echo ringing delay " + ringingDelay + " must be zero or positive");
        }
        if (maxCallDuration == null || maxCallDuration.isNegative() || maxCallDuration.isZero()) {
            throw new IllegalArgumentException("echo max call duration " + maxCallDuration + " must be positive");
        }
        if (maxCalls < 1) throw new IllegalArgumentException("echo max calls " + maxCalls + " must be at least 1");
    }
}

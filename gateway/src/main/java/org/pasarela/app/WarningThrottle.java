package org.pasarela.app;

import java.time.Duration;

/**
 * At most one WARN line per interval for a warning that comes in floods, saying how many it held back since the
 * last one. Calls refused by a saturated relay are such a warning: at 50 calls offered a second, a line per call
 * is 50 lines a second, written exactly when the machine has no CPU to spare. Thread-safe.
 */
final class WarningThrottle {
    private final long intervalNanos;
    private boolean warned;
    private long nextNanos;
    private int heldBack;

    WarningThrottle(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /**
     * The line to log at WARN now for {@code message}, or null when it is held back (log it at DEBUG instead).
     */
    synchronized String warning(String message, long nowNanos) {
        if (warned && nowNanos - nextNanos < 0) {
            heldBack++;
            return null;
        }
        String line = heldBack == 0 ? message
                : message + " (and " + heldBack + " more like it since the last warning, logged at DEBUG)";
        warned = true;
        nextNanos = nowNanos + intervalNanos;
        heldBack = 0;
        return line;
    }
}

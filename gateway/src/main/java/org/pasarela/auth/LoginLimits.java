package org.pasarela.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * How many failed logins are tolerated: {@code maxFailures} within {@code failureWindow} for one user name, or from
 * one address, start a ban of {@code banTime} for that user name or that address. Immutable.
 */
public record LoginLimits(int maxFailures, Duration failureWindow, Duration banTime) {
    public static final LoginLimits DEFAULT = new LoginLimits(5, Duration.ofMinutes(5), Duration.ofMinutes(10));

    public LoginLimits {
        Objects.requireNonNull(failureWindow, "failureWindow");
        Objects.requireNonNull(banTime, "banTime");
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be at least 1, got " + maxFailures);
        }
        if (failureWindow.isZero() || failureWindow.isNegative() || banTime.isZero() || banTime.isNegative()) {
            throw new IllegalArgumentException("failureWindow and banTime must be positive, got " + failureWindow
                    + " and " + banTime);
        }
    }
}

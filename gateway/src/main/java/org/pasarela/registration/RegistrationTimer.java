package org.pasarela.registration;

/** The timers a registration asks its owner to run; at most one is running at a time. */
public enum RegistrationTimer {
    /** Re-REGISTER before the granted binding expires. */
    REFRESH,
    /** Try again after a failure (backoff). */
    RETRY
}

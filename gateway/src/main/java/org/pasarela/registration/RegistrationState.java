package org.pasarela.registration;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where one registration stands (RFC 3261 §10.2). {@code toString()} is the lower-case name used in logs.
 *
 * <pre>
 * IDLE -> REGISTERING                      start(): first REGISTER sent
 * REGISTERING -> REGISTERED                2xx
 * REGISTERING -> BACKING_OFF               failure (retry timer running)
 * REGISTERED -> REFRESHING                 refresh timer fired: REGISTER sent again (same Call-ID, §10.2.4)
 * REFRESHING -> REGISTERED | BACKING_OFF   2xx | failure
 * BACKING_OFF -> REGISTERING               retry timer fired
 * any live state -> UNREGISTERING          stop() while a binding may exist: REGISTER Expires: 0 (§10.2.2)
 * any state -> TERMINATED                  stop() with nothing to undo, or the unregister completed
 * </pre>
 */
public enum RegistrationState {
    IDLE, REGISTERING, REGISTERED, REFRESHING, BACKING_OFF, UNREGISTERING, TERMINATED;

    /** The states that may follow this one; anything else is a bug in {@link Registration}. */
    Set<RegistrationState> next() {
        return switch (this) {
            case IDLE -> EnumSet.of(REGISTERING, TERMINATED);
            case REGISTERING -> EnumSet.of(REGISTERING, REGISTERED, BACKING_OFF, UNREGISTERING, TERMINATED);
            case REGISTERED -> EnumSet.of(REFRESHING, UNREGISTERING, TERMINATED);
            case REFRESHING -> EnumSet.of(REFRESHING, REGISTERED, BACKING_OFF, UNREGISTERING, TERMINATED);
            case BACKING_OFF -> EnumSet.of(REGISTERING, UNREGISTERING, TERMINATED);
            case UNREGISTERING -> EnumSet.of(UNREGISTERING, TERMINATED);
            case TERMINATED -> EnumSet.noneOf(RegistrationState.class);
        };
    }

    /** True while a REGISTER transaction of ours is waiting for its final response. */
    boolean inFlight() {
        return this == REGISTERING || this == REFRESHING || this == UNREGISTERING;
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}

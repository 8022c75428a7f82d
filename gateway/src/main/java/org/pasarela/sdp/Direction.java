package org.pasarela.sdp;

import java.util.Locale;
import java.util.Optional;

/** Media direction attributes (RFC 8866 §6.7, RFC 3264 §5.1); {@code toString()} is the attribute name. */
public enum Direction {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    public static Direction of(boolean sends, boolean receives) {
        if (sends) return receives ? SENDRECV : SENDONLY;
        return receives ? RECVONLY : INACTIVE;
    }

    /** The direction an attribute name stands for, if it is one of the four. */
    public static Optional<Direction> fromAttribute(String name) {
        for (Direction d : values()) {
            if (d.toString().equals(name)) return Optional.of(d);
        }
        return Optional.empty();
    }

    public Attribute attribute() {
        return Attribute.property(toString());
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

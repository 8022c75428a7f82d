package org.pasarela.config;

import java.util.Locale;
import java.util.Optional;

/** A SIP transport protocol (RFC 3261 §18). {@code toString()} gives the spelling used in Via headers. */
public enum Transport {
    UDP, TCP, TLS;

    /** Case-insensitive lookup: {@code udp}, {@code Udp} and {@code UDP} are the same transport. */
    public static Optional<Transport> parse(String text) {
        for (Transport t : values()) {
            if (t.name().equalsIgnoreCase(text.strip())) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The lower-case spelling used in configuration lists and the {@code transport=} URI parameter. */
    public String lowerCase() {
        return name().toLowerCase(Locale.ROOT);
    }
}

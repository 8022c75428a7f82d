package org.pasarela.config;

import java.util.List;
import java.util.Optional;

/** The codec names a profile may list, in their canonical (rtpmap) spelling. */
public final class KnownCodecs {
    /** The RFC 4733 pseudo-codec; not an audio codec. */
    public static final String TELEPHONE_EVENT = "telephone-event";

    public static final List<String> ALL =
            List.of("opus", "G722", "PCMU", "PCMA", "G729", "GSM", "iLBC", TELEPHONE_EVENT);

    private KnownCodecs() {
    }

    /** The canonical spelling of {@code name} ({@code pcmu} gives {@code PCMU}), or empty if unknown. */
    public static Optional<String> canonical(String name) {
        for (String known : ALL) {
            if (known.equalsIgnoreCase(name.strip())) {
                return Optional.of(known);
            }
        }
        return Optional.empty();
    }
}

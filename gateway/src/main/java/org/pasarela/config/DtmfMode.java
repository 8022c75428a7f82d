package org.pasarela.config;

import java.util.Optional;

/** How DTMF digits from the browser reach the SIP side. {@code toString()} gives the configuration spelling. */
public enum DtmfMode {
    /** RTP telephone-event packets (RFC 4733); needs {@code telephone-event} among the profile's codecs. */
    RFC4733("rfc4733"),
    /** SIP INFO requests carrying {@code application/dtmf-relay} bodies. */
    INFO("info"),
    /** DTMF is not sent at all. */
    NONE("none");

    private final String spelling;

    DtmfMode(String spelling) {
        this.spelling = spelling;
    }

    public static Optional<DtmfMode> parse(String text) {
        for (DtmfMode m : values()) {
            if (m.spelling.equalsIgnoreCase(text.strip())) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return spelling;
    }
}

package org.pasarela.bridge;

import java.util.Locale;
import java.util.Optional;

/** The {@code a=setup} roles of RFC 4145 §4 as used by DTLS-SRTP (RFC 5763 §5); holdconn is not allowed there. */
public enum DtlsSetup {
    ACTPASS, ACTIVE, PASSIVE;

    /** The role named by an a=setup value, if it is one of the three DTLS allows. */
    public static Optional<DtlsSetup> fromValue(String value) {
        for (DtlsSetup s : values()) {
            if (s.toString().equals(value)) return Optional.of(s);
        }
        return Optional.empty();
    }

    /**
     * The answerer's role (RFC 5763 §5, RFC 8842 §5.3): passive (DTLS server) when the offerer can or will be
     * active, active only when the offerer insists on passive.
     */
    public DtlsSetup answer() {
        return this == PASSIVE ? ACTIVE : PASSIVE;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

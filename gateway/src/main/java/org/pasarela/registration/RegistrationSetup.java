package org.pasarela.registration;

import java.util.Objects;
import java.util.Optional;
import org.pasarela.config.Credentials;

/**
 * The account one registration binds: the address-of-record (To/From), the registrar's Request-URI (also the
 * digest-uri of the answers to challenges), the credentials, if any, and the expiry to ask for.
 */
public record RegistrationSetup(String aor, String requestUri, Optional<Credentials> credentials,
                                int expiresSeconds) {
    public RegistrationSetup {
        Objects.requireNonNull(aor, "aor");
        Objects.requireNonNull(requestUri, "requestUri");
        Objects.requireNonNull(credentials, "credentials");
        if (expiresSeconds < 1) {
            throw new IllegalArgumentException("expiresSeconds must be positive, got " + expiresSeconds);
        }
    }
}

package org.pasarela.auth;

import java.util.Optional;

/**
 * The JWS algorithms (RFC 7518 §3.1) a login token may be signed with. {@code none} is deliberately absent: an
 * unsigned token is never accepted, whatever the configuration says.
 */
public enum JwtAlgorithm {
    /** HMAC with SHA-256 and a shared secret (RFC 7518 §3.2). */
    HS256,
    /** RSASSA-PKCS1-v1_5 with SHA-256 and an RSA public key (RFC 7518 §3.3). */
    RS256,
    /** ECDSA P-256 with SHA-256 (RFC 7518 §3.4): the signature is R || S, 32 bytes each. */
    ES256;

    /** The algorithm named exactly (case-sensitive, as in the JOSE header), if it is one of these. */
    public static Optional<JwtAlgorithm> named(String name) {
        for (JwtAlgorithm a : values()) {
            if (a.name().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}

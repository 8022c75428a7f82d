package org.pasarela.sip;

import java.util.Optional;
import org.pasarela.config.Credentials;

/**
 * When a SIP client answers a digest challenge (RFC 3261 §22.2, §22.4): once per request, a second time only
 * when the server says the nonce was merely stale, and never toward a realm other than the one configured.
 * Calls and registrations ask the same question; this is the one answer.
 */
public final class DigestPolicy {
    /** Answers per request: the first challenge, and one stale-nonce renewal. */
    public static final int MAX_ANSWERS = 2;

    private DigestPolicy() {}

    /** Why {@code challenge} must not be answered, or empty when it may be, after {@code answered} earlier answers. */
    public static Optional<String> refusal(Credentials credentials, DigestChallenge challenge, int answered) {
        if (answered >= MAX_ANSWERS || answered > 0 && !challenge.stale()) {
            return Optional.of("credentials refused");
        }
        Optional<String> realm = credentials.realm();
        if (realm.isPresent() && !realm.get().equals(challenge.realm())) {
            return Optional.of("challenge realm '" + challenge.realm() + "' is not auth.realm '" + realm.get() + "'");
        }
        return Optional.empty();
    }
}

package org.pasarela.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pasarela.config.Credentials;

class DigestPolicyTest {
    private static final Credentials ANY_REALM = new Credentials("alice", "secret", Optional.empty());

    private static DigestChallenge challenge(String extra) {
        return DigestChallenge.parse("Digest realm=\"pbx\", nonce=\"n1\"" + extra);
    }

    @Test
    void answersTheFirstChallenge() {
        assertThat(DigestPolicy.refusal(ANY_REALM, challenge(""), 0)).isEmpty();
    }

    @Test
    void answersAgainOnlyWhenTheNonceWasStale() {
        assertThat(DigestPolicy.refusal(ANY_REALM, challenge(""), 1)).contains("credentials refused");
        assertThat(DigestPolicy.refusal(ANY_REALM, challenge(", stale=true"), 1)).isEmpty();
        assertThat(DigestPolicy.refusal(ANY_REALM, challenge(", stale=true"), 2)).contains("credentials refused");
    }

    @Test
    void neverAnswersAnotherRealmThanTheConfiguredOne() {
        Credentials pinned = new Credentials("alice", "secret", Optional.of("trunk"));
        assertThat(DigestPolicy.refusal(pinned, challenge(""), 0))
                .contains("challenge realm 'pbx' is not auth.realm 'trunk'");
    }
}

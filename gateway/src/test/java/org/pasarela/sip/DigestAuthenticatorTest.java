package org.pasarela.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DigestAuthenticatorTest {

    private static final DigestChallenge QOP = DigestChallenge.parse("Digest realm=\"r\", nonce=\"n\", qop=auth");

    @Test
    void escapesQuotesAndBackslashesInUsername() {
        assertThat(DigestAuthenticator.authorization(QOP, "REGISTER", "sip:r", "a\"b\\c", "p", "c", 1))
                .startsWith("Digest username=\"a\\\"b\\\\c\", realm=\"r\"");
    }

    @Test
    void writesNonceCountAsEightHexDigits() {
        assertThat(DigestAuthenticator.authorization(QOP, "INVITE", "sip:x", "u", "p", "c", 255))
                .contains(", nc=000000ff");
    }

    @Test
    void omitsOpaqueWhenChallengeHasNone() {
        assertThat(DigestAuthenticator.authorization(QOP, "INVITE", "sip:x", "u", "p", "c", 1))
                .doesNotContain("opaque");
    }

    @Test
    void rejectsMissingCnonceWhenQopIsOffered() {
        assertThatThrownBy(() -> DigestAuthenticator.authorization(QOP, "INVITE", "sip:x", "u", "p", null, 1))
                .isInstanceOf(DigestException.class).hasMessage("cnonce is missing");
    }

    @Test
    void rejectsNonceCountBelowOne() {
        assertThatThrownBy(() -> DigestAuthenticator.authorization(QOP, "INVITE", "sip:x", "u", "p", "c", 0))
                .isInstanceOf(DigestException.class).hasMessage("nonce count 0 must be at least 1");
    }

    @Test
    void rejectsSessionAlgorithmWithoutCnonceEvenWithoutQop() {
        DigestChallenge sess = DigestChallenge.parse("Digest realm=r, nonce=n, algorithm=MD5-sess");
        assertThatThrownBy(() -> DigestAuthenticator.authorization(sess, "INVITE", "sip:x", "u", "p", null, 1))
                .isInstanceOf(DigestException.class).hasMessage("algorithm MD5-sess needs a cnonce");
    }
}

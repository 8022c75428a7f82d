package org.pasarela.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DigestChallengeTest {

    @Test
    void parsesQuotedParametersWithCommasInsideQuotes() {
        DigestChallenge c = DigestChallenge.parse(
                "Digest realm=\"a, b=c\", nonce=\"n,1\", opaque=\"o\\\"q\", qop=\"auth,auth-int\", stale=TRUE");
        assertThat(c.realm()).isEqualTo("a, b=c");
        assertThat(c.nonce()).isEqualTo("n,1");
        assertThat(c.opaque()).contains("o\"q");
        assertThat(c.qop()).containsExactly("auth", "auth-int");
        assertThat(c.stale()).isTrue();
        assertThat(c.algorithm()).isEqualTo(DigestAlgorithm.MD5);
    }

    @Test
    void parsesUnquotedParametersAndCaseInsensitiveNames() {
        DigestChallenge c = DigestChallenge.parse("DIGEST Realm=asterisk,NONCE=1a2b , Algorithm=md5-SESS");
        assertThat(c).isEqualTo(new DigestChallenge("asterisk", "1a2b", Optional.empty(),
                DigestAlgorithm.MD5_SESS, List.of(), false));
        assertThat(c.usesQop()).isFalse();
    }

    @Test
    void acceptsSha512_256FromRfc8760() {
        assertThat(DigestChallenge.parse("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256").algorithm())
                .isEqualTo(DigestAlgorithm.SHA_512_256);
    }

    @Test
    void rejectsOtherSchemesNamingTheHeader() {
        assertThatThrownBy(() -> DigestChallenge.parse("Basic realm=x"))
                .isInstanceOf(DigestException.class)
                .hasMessage("not a Digest challenge: \"Basic realm=x\"");
    }

    @Test
    void rejectsChallengeWithoutNonce() {
        assertThatThrownBy(() -> DigestChallenge.parse("Digest realm=\"r\""))
                .isInstanceOf(DigestException.class).hasMessage("challenge has no nonce");
    }

    @Test
    void rejectsChallengeWithoutRealm() {
        assertThatThrownBy(() -> DigestChallenge.parse("Digest nonce=\"n\""))
                .isInstanceOf(DigestException.class).hasMessage("challenge has no realm");
    }

    @Test
    void rejectsUnknownAlgorithmNamingIt() {
        assertThatThrownBy(() -> DigestChallenge.parse("Digest realm=r, nonce=n, algorithm=AKAv1-MD5"))
                .isInstanceOf(DigestException.class).hasMessage("unsupported algorithm \"AKAv1-MD5\"");
    }

    @Test
    void rejectsChallengeOfferingOnlyAuthInt() {
        assertThatThrownBy(() -> DigestChallenge.parse("Digest realm=r, nonce=n, qop=\"auth-int\""))
                .isInstanceOf(DigestException.class)
                .hasMessage("challenge offers only qop \"auth-int\"; only \"auth\" is supported");
    }

    @Test
    void rejectsUnterminatedQuotedValue() {
        assertThatThrownBy(() -> DigestChallenge.parse("Digest realm=\"r, nonce=n"))
                .isInstanceOf(DigestException.class)
                .hasMessageStartingWith("unterminated quoted value for realm");
    }

    @Test
    void rejectsDuplicateParameter() {
        assertThatThrownBy(() -> DigestChallenge.parse("Digest realm=r, nonce=n, nonce=m"))
                .isInstanceOf(DigestException.class).hasMessageStartingWith("duplicate parameter nonce");
    }

    @Test
    void rejectsParameterWithoutValue() {
        assertThatThrownBy(() -> DigestChallenge.parse("Digest realm"))
                .isInstanceOf(DigestException.class).hasMessageStartingWith("parameter without value");
    }

    @Test
    void rejectsMissingAndBareSchemeWithoutLeakingOtherExceptions() {
        assertThatThrownBy(() -> DigestChallenge.parse(null)).isInstanceOf(DigestException.class);
        assertThatThrownBy(() -> DigestChallenge.parse("Digest")).isInstanceOf(DigestException.class)
                .hasMessage("challenge has no realm");
        assertThatThrownBy(() -> DigestChallenge.parse("")).isInstanceOf(DigestException.class);
    }

    @Test
    void neverThrowsAnythingButDigestExceptionOnRandomInput() {
        java.util.Random random = new java.util.Random(7616);
        String alphabet = "Digest realm=nonce\"\\,qop auth-int algorithm MD5 opaque=\t";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder();
            int len = random.nextInt(60);
            for (int j = 0; j < len; j++) s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            try {
                DigestChallenge.parse(s.toString());
            } catch (DigestException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }
}

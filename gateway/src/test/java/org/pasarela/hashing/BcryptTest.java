package org.pasarela.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.pasarela.auth.PasswordVerifier;

class BcryptTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void checksAHashMadeHereAndRefusesOtherPasswords() {
        String hash = Bcrypt.hash("correct horse", 4, random);
        assertThat(hash).matches("\\$2y\\$04\\$[./A-Za-z0-9]{53}");
        PasswordVerifier verifier = Bcrypt.verifier(hash);
        assertThat(verifier.matches("correct horse")).isTrue();
        assertThat(verifier.matches("correct horsE")).isFalse();
        assertThat(verifier.matches("")).isFalse();
    }

    @Test
    void saltsEveryHash() {
        assertThat(Bcrypt.hash("same", 4, random)).isNotEqualTo(Bcrypt.hash("same", 4, random));
    }

    @Test
    void checksTheClassicOpenBsdTestVector() {
        // OpenBSD regress (bcrypt): "U*U" with cost 5, as in jBCrypt's and Bouncy Castle's test vectors.
        assertThat(Bcrypt.verifier("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW").matches("U*U")).isTrue();
    }

    @Test
    void refusesPasswordsBcryptWouldTruncate() {
        assertThatThrownBy(() -> Bcrypt.hash("é".repeat(37), 4, random))
                .hasMessage("the password is 74 bytes of UTF-8; bcrypt uses only the first 72, so choose a shorter one");
        assertThatThrownBy(() -> Bcrypt.hash("", 4, random)).hasMessage("the password is empty");
        assertThatThrownBy(() -> Bcrypt.hash("x", 3, random)).hasMessage("cost 3 is not in 4-31");
    }

    @Test
    void refusesMalformedHashesAtStartUp() {
        assertThatThrownBy(() -> Bcrypt.verifier("$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"))
                .hasMessageStartingWith("not a bcrypt hash");
        assertThat(Bcrypt.cost("$2b$12$" + "a".repeat(53))).isEqualTo(12);
    }

    @Test
    void theDecoyMatchesNothing() {
        PasswordVerifier decoy = Bcrypt.decoy(4, random);
        assertThat(decoy.matches("")).isFalse();
        assertThat(decoy.matches("anything")).isFalse();
    }
}

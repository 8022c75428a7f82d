package org.pasarela.transport.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class IceCredentialsTest {
    @Test
    void randomCredentialsUseOnlyIceCharsAndRfcLengths() {
        IceCredentials c = IceCredentials.random(new SecureRandom());
        assertThat(c.ufrag()).matches("[A-Za-z0-9+/]{8}");
        assertThat(c.pwd()).matches("[A-Za-z0-9+/]{24}");
    }

    @Test
    void rejectsPasswordShorterThan22Characters() {
        assertThatThrownBy(() -> new IceCredentials("abcd", "short"))
                .hasMessageContaining("ICE password must be 22..256 characters, got 5");
    }
}

package org.pasarela.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EchoServiceTest {

    @Test
    void rejectsBadSettingsNamingThem() {
        assertThatThrownBy(() -> new EchoService("127.0.0.1", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("echo port 0 is outside 1..65535");
        assertThatThrownBy(() -> new EchoService("127.0.0.1", 5098, Duration.ZERO, Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("echo max call duration PT0S must be positive");
        assertThatThrownBy(() -> new EchoService("127.0.0.1", 5098, Duration.ZERO, Duration.ofHours(1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("echo max calls 0 must be at least 1");
    }

    @Test
    void unknownAddressFailsStartNamingIt() {
        try (EchoService echo = new EchoService("no-such-host.invalid", 5098)) {
            assertThatThrownBy(echo::start).isInstanceOf(EchoServiceException.class)
                    .hasMessage("echo service: unknown address \"no-such-host.invalid\"");
        }
    }

    @Test
    void closeWithoutStartIsHarmless() {
        EchoService echo = new EchoService("127.0.0.1", 5098);
        echo.close();
        echo.close();
        assertThat(echo.activeCalls()).isZero();
    }
}

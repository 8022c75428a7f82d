package org.pasarela.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class EchoServiceTest {

    @Test
    void jainSipTracesMessagesOnlyWhenItsLoggerIsAtTrace() {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.pasarela.echo.test.stack");
        logger.setLevel(Level.TRACE);
        assertThat(EchoService.traceLevel(logger)).isEqualTo("DEBUG");
        logger.setLevel(Level.DEBUG);
        assertThat(EchoService.traceLevel(logger)).isEqualTo("ERROR");
        logger.setLevel(Level.WARN);
        assertThat(EchoService.traceLevel(logger)).isEqualTo("ERROR");
    }

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

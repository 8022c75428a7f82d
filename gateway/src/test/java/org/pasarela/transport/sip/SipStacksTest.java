package org.pasarela.transport.sip;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SipStacksTest {
    @Test
    void jainSipTracesMessagesOnlyWhenItsLoggerIsAtTrace() {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.pasarela.sip.test.stack");
        logger.setLevel(Level.TRACE);
        assertThat(SipStacks.traceLevel(logger)).isEqualTo("DEBUG");
        logger.setLevel(Level.DEBUG);
        assertThat(SipStacks.traceLevel(logger)).isEqualTo("ERROR");
        logger.setLevel(Level.WARN);
        assertThat(SipStacks.traceLevel(logger)).isEqualTo("ERROR");
    }

}

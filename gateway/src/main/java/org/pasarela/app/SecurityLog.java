package org.pasarela.app;

import org.pasarela.auth.SecurityEvent;
import org.pasarela.auth.SecurityEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes security events, one line each, to the logger {@value #LOGGER} (etc/logback.xml can route it to its own
 * file for fail2ban; docs/security.md). Failures and bans at WARN, successful logins at INFO. Thread-safe.
 */
final class SecurityLog implements SecurityEvents {
    static final String LOGGER = "pasarela.security";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    @Override
    public void report(SecurityEvent event) {
        if (event.type() == SecurityEvent.Type.SuccessfulAuth) {
            log.info("{}", event.toLogLine());
        } else {
            log.warn("{}", event.toLogLine());
        }
    }
}

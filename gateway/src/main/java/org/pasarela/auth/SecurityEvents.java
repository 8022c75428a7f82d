package org.pasarela.auth;

/**
 * Where security events go: the application logs them to the {@code pasarela.security} logger; tests collect them.
 * Implementations must be thread-safe and must not block (they are called on session lanes and event loops).
 */
@FunctionalInterface
public interface SecurityEvents {
    SecurityEvents NONE = event -> { };

    void report(SecurityEvent event);
}

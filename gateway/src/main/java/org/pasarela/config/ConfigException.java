package org.pasarela.config;

/**
 * A configuration value that the gateway cannot start with. The message names the place (file and key, or
 * {@code --set key}), the offending value and what was expected, e.g.
 * {@code etc/pasarela.properties: http.port = '80a': expected a port number 1-65535}.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}

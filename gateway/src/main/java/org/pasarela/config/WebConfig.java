package org.pasarela.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How browsers may reach the gateway: the HTTPS/WSS listener ({@code https.*}) and its certificate, whether the
 * plain HTTP/WS listener may face anything but loopback ({@code http.allow-plain}), and the connection limits
 * both listeners share ({@code http.max-connections*}, {@code auth.login-timeout}). Every key is documented with
 * its default in {@code etc/pasarela.properties}. Certificate paths are already resolved against the
 * configuration directory. Immutable.
 *
 * @param httpsHostnames names and addresses the generated self-signed certificate is made for (its
 *                       subjectAltName); unused when {@code httpsCertificate} is set
 */
public record WebConfig(
        boolean httpsEnabled,
        String httpsAddress,
        int httpsPort,
        Optional<Path> httpsCertificate,
        Optional<Path> httpsKey,
        List<String> httpsHostnames,
        boolean allowPlain,
        int maxConnectionsPerAddress,
        int maxConnections,
        Duration loginTimeout) {

    public WebConfig {
        Objects.requireNonNull(httpsAddress, "httpsAddress");
        Objects.requireNonNull(httpsCertificate, "httpsCertificate");
        Objects.requireNonNull(httpsKey, "httpsKey");
        Objects.requireNonNull(loginTimeout, "loginTimeout");
        httpsHostnames = List.copyOf(httpsHostnames);
        if (httpsCertificate.isPresent() != httpsKey.isPresent()) {
            throw new IllegalArgumentException("httpsCertificate and httpsKey go together");
        }
        if (httpsPort < 0 || httpsPort > 65535) {
            throw new IllegalArgumentException("httpsPort " + httpsPort + " is not in 0-65535");
        }
        if (maxConnectionsPerAddress < 1 || maxConnections < maxConnectionsPerAddress) {
            throw new IllegalArgumentException("connection limits " + maxConnectionsPerAddress + " per address, "
                    + maxConnections + " in all: expected 1 <= per address <= in all");
        }
        if (loginTimeout.isZero() || loginTimeout.isNegative()) {
            throw new IllegalArgumentException("loginTimeout must be positive, got " + loginTimeout);
        }
    }

    /** The embedded defaults: HTTPS on 127.0.0.1:8443 with a generated certificate, plain HTTP loopback only. */
    public static WebConfig defaults() {
        return WebConfigReader.read(PropertySet.empty("built-in defaults"), "127.0.0.1", 8080, Path.of("."));
    }

    /** The same settings with HTTPS on another port (0 = any free port): for tests. */
    public WebConfig withHttpsPort(int port) {
        return new WebConfig(httpsEnabled, httpsAddress, port, httpsCertificate, httpsKey, httpsHostnames,
                allowPlain, maxConnectionsPerAddress, maxConnections, loginTimeout);
    }
}

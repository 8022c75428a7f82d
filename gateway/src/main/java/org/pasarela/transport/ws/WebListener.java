package org.pasarela.transport.ws;

import java.util.Objects;
import java.util.Optional;

/**
 * One address and port browsers connect to: plain HTTP/WS, or HTTPS/WSS with its certificate. Every listener serves
 * the same paths ({@code /ws}, {@code /health}, the web client). Immutable.
 */
public record WebListener(String address, int port, Optional<HttpsCertificate> certificate) {
    public WebListener {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(certificate, "certificate");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not in 0-65535");
        }
    }

    public static WebListener plain(String address, int port) {
        return new WebListener(address, port, Optional.empty());
    }

    public static WebListener secure(String address, int port, HttpsCertificate certificate) {
        return new WebListener(address, port, Optional.of(certificate));
    }

    public boolean isSecure() {
        return certificate.isPresent();
    }

    /** {@code https} or {@code http}. */
    public String scheme() {
        return isSecure() ? "https" : "http";
    }
}

package org.pasarela.transport.sip;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.pasarela.config.Transport;

/**
 * What the SIP edge needs from the configuration. {@code dnsServer} is "host:port" of the DNS server for
 * RFC 3263 lookups, or null for the system's resolver; {@code tls} must be present when {@code transports}
 * includes TLS.
 */
public record SipEndpointSettings(String address, int port, int tlsPort, Set<Transport> transports,
                                  String userAgent, String dnsServer, Optional<SipTlsFiles> tls) {
    public SipEndpointSettings {
        transports = Set.copyOf(transports);
        Objects.requireNonNull(tls, "tls");
    }
}

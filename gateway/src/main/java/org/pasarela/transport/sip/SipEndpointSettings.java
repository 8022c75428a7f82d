package org.pasarela.transport.sip;

import java.util.Set;
import org.pasarela.config.Transport;

/** What the SIP edge needs from the configuration. */
public record SipEndpointSettings(String address, int port, int tlsPort, Set<Transport> transports,
                                  String userAgent, String dnsServer) {
    public SipEndpointSettings {
        transports = Set.copyOf(transports);
    }
}

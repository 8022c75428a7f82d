package org.pasarela.transport.sip;

import org.pasarela.config.Transport;

/** Where a request is physically sent: an IP literal, a port and a transport (RFC 3263 §4 result). */
public record SipHop(String address, int port, Transport transport) {
    public SipHop {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("hop port " + port + " is not 1..65535");
        }
    }

    /** The hop as a loose-routing SIP URI, for a pre-loaded Route header (RFC 3261 §8.1.2). */
    String routeUri() {
        String host = address.contains(":") ? "[" + address + "]" : address;
        String scheme = transport == Transport.TLS ? "sips" : "sip";
        return scheme + ":" + host + ":" + port + ";transport=" + transport.name().toLowerCase() + ";lr";
    }

    @Override
    public String toString() {
        return address + ":" + port + "/" + transport;
    }
}

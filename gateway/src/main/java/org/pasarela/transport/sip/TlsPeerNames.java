package org.pasarela.transport.sip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The name a TLS peer's certificate must carry, by the address and port we connect to. The resolver writes
 * it (the domain or IP literal of the profile's proxy URI, RFC 5922 §4.1: the SRV target does not count);
 * the network layer reads it when JAIN-SIP opens the connection, which it does knowing only the address.
 *
 * <p>Two profiles whose proxies resolve to the same address and port share one connection (JAIN-SIP caches
 * it), so the latest name wins; the certificate is checked once per connection. Thread-safe.
 */
final class TlsPeerNames {
    private final Map<String, String> names = new ConcurrentHashMap<>();

    void expect(SipHop hop, String name) {
        names.put(key(hop.address(), hop.port()), name);
    }

    /** The expected name for a connection to {@code address}:{@code port}; the address itself if none. */
    String expectedName(InetAddress address, int port) {
        String literal = address.getHostAddress();
        return names.getOrDefault(key(literal, port), literal);
    }

    private static String key(String address, int port) {
        String literal = address;
        try {
            if (address.contains(":") || address.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
                literal = InetAddress.getByName(address).getHostAddress(); // literals only: no DNS lookup
            }
        } catch (UnknownHostException e) {
            literal = address;
        }
        return literal + "|" + port;
    }
}

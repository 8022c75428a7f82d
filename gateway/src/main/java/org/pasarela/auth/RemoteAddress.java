package org.pasarela.auth;

import java.util.Objects;

/**
 * Where a browser connection comes from: the IP literal and TCP port of the WebSocket's peer, as security events,
 * limits and bans see it. Behind a reverse proxy this is the proxy. Immutable.
 */
public record RemoteAddress(String ip, int port) {
    /** For sessions built without a network peer (tests, tools). */
    public static final RemoteAddress UNKNOWN = new RemoteAddress("0.0.0.0", 0);

    public RemoteAddress {
        Objects.requireNonNull(ip, "ip");
        if (ip.isEmpty() || !ip.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            throw new IllegalArgumentException("remote address '" + ip + "' is not an IPv4 or IPv6 literal");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("remote port " + port + " is not in 0-65535");
        }
    }

    /** {@code IPV4} or {@code IPV6}, as in Asterisk's security events. */
    public String family() {
        return ip.indexOf(':') >= 0 ? "IPV6" : "IPV4";
    }

    @Override
    public String toString() {
        return ip.indexOf(':') >= 0 ? "[" + ip + "]:" + port : ip + ":" + port;
    }
}

package org.pasarela.sdp;

import java.util.Objects;

/**
 * A {@code c=} line (RFC 8866 §5.7). The address is kept as written, including a multicast {@code /ttl} suffix.
 * {@code 0.0.0.0} is a legal address (RFC 3264 §8.4 hold) and is not treated specially here.
 */
public record Connection(String netType, String addrType, String address) {

    public Connection {
        SdpText.requireToken(Objects.requireNonNull(netType, "netType"), "c= nettype");
        SdpText.requireToken(Objects.requireNonNull(addrType, "addrType"), "c= addrtype");
        SdpText.requireToken(Objects.requireNonNull(address, "address"), "c= connection-address");
    }

    /** {@code IN IP4 address} or {@code IN IP6 address}, chosen by whether the literal contains a colon. */
    public static Connection internet(String address) {
        return new Connection("IN", address.indexOf(':') >= 0 ? "IP6" : "IP4", address);
    }

    /** The text after {@code c=}. */
    @Override
    public String toString() {
        return netType + " " + addrType + " " + address;
    }
}

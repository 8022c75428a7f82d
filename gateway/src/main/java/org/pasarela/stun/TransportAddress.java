package org.pasarela.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A UDP transport address: a raw IPv4 (4 bytes) or IPv6 (16 bytes) address and a port. It never resolves names,
 * and two addresses are equal when their bytes and port are, which is what the strict-source rule needs.
 *
 * <p>Chosen over {@link InetSocketAddress} in the core because that class mixes resolved, unresolved and
 * host-named forms whose {@code equals} depends on how it was built. The address bytes are copied in and out.
 */
public record TransportAddress(byte[] ip, int port) {
    public TransportAddress {
        if (ip == null || (ip.length != 4 && ip.length != 16)) {
            throw new IllegalArgumentException("transport address: IP must be 4 or 16 bytes, got "
                    + (ip == null ? "null" : ip.length));
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("transport address: port " + port + " is outside 0..65535");
        }
        ip = ip.clone();
    }

    public static TransportAddress of(InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("transport address: " + address + " is unresolved");
        }
        return new TransportAddress(address.getAddress().getAddress(), address.getPort());
    }

    /** A copy of the address bytes. */
    @Override
    public byte[] ip() {
        return ip.clone();
    }

    public boolean isIpv6() {
        return ip.length == 16;
    }

    int ipLength() {
        return ip.length;
    }

    byte ipByte(int index) {
        return ip[index];
    }

    /** Compares without allocating, for the per-packet source check. */
    public boolean matches(byte[] otherIp, int otherPort) {
        return port == otherPort && Arrays.equals(ip, otherIp);
    }

    public InetSocketAddress toInetSocketAddress() {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address was refused: " + this, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransportAddress other && other.port == port && Arrays.equals(other.ip, ip);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ip) + port;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        if (ip.length == 4) {
            for (int i = 0; i < 4; i++) {
                out.append(i == 0 ? "" : ".").append(ip[i] & 0xFF);
            }
            return out.append(':').append(port).toString();
        }
        out.append('[');
        for (int i = 0; i < 16; i += 2) {
            out.append(i == 0 ? "" : ":").append(Integer.toHexString(((ip[i] & 0xFF) << 8) | (ip[i + 1] & 0xFF)));
        }
        return out.append("]:").append(port).toString();
    }
}

package org.pasarela.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 192.0.2.0/24}, {@code 2001:db8::/32}), or one address (a
 * {@code /32} or {@code /128}), as written in {@code inbound.networks}. Immutable.
 *
 * <p>Only address literals are accepted, never host names, so parsing and matching never touch DNS. An
 * IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.7}) counts as the IPv4 address it carries, on both sides.
 */
public final class IpNetwork {
    private final byte[] network;
    private final int prefixLength;

    private IpNetwork(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses {@code ADDRESS} or {@code ADDRESS/PREFIX}.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static IpNetwork parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes = bytes(address).orElseThrow(() -> new IllegalArgumentException("'" + address
                + "' is not an IPv4 or IPv6 address"));
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(p) > max) {
                throw new IllegalArgumentException("prefix length '" + p + "' of " + s + " is not 0-" + max);
            }
            prefix = Integer.parseInt(p);
        }
        byte[] masked = mask(bytes, prefix);
        if (!Arrays.equals(masked, bytes)) {
            throw new IllegalArgumentException(s + " has host bits set; the network is " + format(masked, prefix));
        }
        return new IpNetwork(masked, prefix);
    }

    /** Whether {@code address} (an IP literal) lies in this network; false for anything that is not an address. */
    public boolean contains(String address) {
        Optional<byte[]> bytes = bytes(address);
        return bytes.isPresent() && bytes.get().length == network.length
                && Arrays.equals(mask(bytes.get(), prefixLength), network);
    }

    /** Whether two IP literals name the same address however written ({@code ::1} and {@code 0:0::1}). */
    public static boolean sameAddress(String a, String b) {
        Optional<byte[]> x = bytes(a);
        return x.isPresent() && bytes(b).map(y -> Arrays.equals(x.get(), y)).orElse(false);
    }

    /** The address bytes of an IP literal (IPv6 in brackets allowed); empty for anything else, never DNS. */
    static Optional<byte[]> bytes(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
                : address;
        if (!HostSyntax.isIpv4(a) && !HostSyntax.isIpv6(a)) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(a).getAddress()); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff00 >> bits));
        }
        return out;
    }

    private static String format(byte[] network, int prefix) {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + network.length + " bytes", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpNetwork n && n.prefixLength == prefixLength && Arrays.equals(n.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        return format(network, prefixLength);
    }
}

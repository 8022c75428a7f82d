package org.pasarela.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Syntax checks for hosts and addresses (RFC 3261 §25.1 {@code host}, RFC 4291 §2.2 text form). Pure: no DNS, so
 * a valid name may still not resolve.
 */
final class HostSyntax {
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

    private HostSyntax() {
    }

    /**
     * Why {@code host} is not a valid SIP URI host, or empty if it is one: a hostname, a dotted IPv4 address or a
     * bracketed IPv6 reference such as {@code [::1]}.
     */
    static Optional<String> uriHostProblem(String host) {
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || !isIpv6(host.substring(1, host.length() - 1))) {
                return Optional.of("'" + host + "' is not a valid IPv6 reference such as [2001:db8::1]");
            }
            return Optional.empty();
        }
        if (host.indexOf(':') >= 0) {
            return Optional.of("IPv6 address '" + host + "' must be written in brackets, e.g. [" + host + "]");
        }
        return hostnameOrIpv4Problem(host);
    }

    /** Why {@code address} is not a hostname, IPv4 address or bare IPv6 address (as used for binding). */
    static Optional<String> addressProblem(String address) {
        if (address.indexOf(':') >= 0) {
            return isIpv6(address) ? Optional.empty() : Optional.of("'" + address + "' is not a valid IPv6 address");
        }
        return hostnameOrIpv4Problem(address);
    }

    /** True for addresses that mean "every interface", which cannot be advertised to peers. */
    static boolean isWildcard(String address) {
        String a = address.replace("[", "").replace("]", "");
        return a.equals("0.0.0.0") || (isIpv6(a) && a.replace(":", "").replace("0", "").isEmpty());
    }

    private static Optional<String> hostnameOrIpv4Problem(String host) {
        if (host.isEmpty()) {
            return Optional.of("the host is empty");
        }
        if (DIGITS_AND_DOTS.matcher(host).matches()) {
            return isIpv4(host) ? Optional.empty() : Optional.of("'" + host + "' is not a valid IPv4 address");
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.length() > 253) {
            return Optional.of("hostname '" + host + "' is longer than 253 characters");
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.of("'" + host + "' is not a valid hostname (bad label '" + label + "')");
            }
        }
        return Optional.empty();
    }

    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv6(String address) {
        if (address.isEmpty() || address.length() > 45 || address.indexOf(':') < 0) {
            return false;
        }
        String s = address;
        int lastColon = s.lastIndexOf(':');
        String tail = s.substring(lastColon + 1);
        if (tail.indexOf('.') >= 0) {
            if (!isIpv4(tail)) {
                return false;
            }
            s = s.substring(0, lastColon + 1) + "0:0"; // an embedded IPv4 address counts as two groups
        }
        int gap = s.indexOf("::");
        if (gap >= 0) {
            if (s.indexOf("::", gap + 1) >= 0) {
                return false;
            }
            int left = countGroups(s.substring(0, gap));
            int right = countGroups(s.substring(gap + 2));
            return left >= 0 && right >= 0 && left + right <= 7;
        }
        return countGroups(s) == 8;
    }

    /** Number of colon-separated hex groups, or -1 if any group is malformed. */
    private static int countGroups(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        String[] groups = s.split(":", -1);
        for (String g : groups) {
            if (!HEX_GROUP.matcher(g).matches()) {
                return -1;
            }
        }
        return groups.length;
    }
}

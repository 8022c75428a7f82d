package org.pasarela.bridge;

/** Syntax checks for IP address literals, without the DNS lookup that {@code InetAddress.getByName} may do. */
final class IpLiteral {
    private IpLiteral() {
    }

    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) return false;
            if (Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    /** RFC 4291 §2.2 text forms, including {@code ::} compression and a trailing dotted IPv4 part. */
    static boolean isIpv6(String s) {
        if (s.indexOf(':') < 0) return false;
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) return false;
        String[] groups = s.split(":", -1);
        int words = 0;
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            if (g.isEmpty()) continue;
            if (i == groups.length - 1 && g.indexOf('.') >= 0) {
                if (!isIpv4(g)) return false;
                words += 2;
                continue;
            }
            if (g.length() > 4 || !g.chars().allMatch(c -> Character.digit(c, 16) >= 0)) return false;
            words++;
        }
        if (doubleColon < 0) {
            for (String g : groups) if (g.isEmpty()) return false;
            return words == 8;
        }
        boolean badStart = s.startsWith(":") && !s.startsWith("::");
        boolean badEnd = s.endsWith(":") && !s.endsWith("::");
        return !badStart && !badEnd && words <= 7;
    }
}

package org.pasarela.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@code sip:} or {@code sips:} URI (RFC 3261 §19.1): {@code scheme:[user@]host[:port][;name[=value]]*}.
 *
 * <p>{@code user} is kept exactly as written, %-escapes included, so it can be copied into a SIP message as is.
 * {@code host} keeps the brackets of an IPv6 reference ({@code [::1]}). Parameter names are lower-cased
 * (they are case-insensitive); a parameter without a value maps to the empty string. Header parts
 * ({@code ?...}) and passwords ({@code user:pw@}) are refused. Immutable.
 */
public record SipUri(String scheme, String user, String host, OptionalInt port, Map<String, String> params) {

    public SipUri {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(params, "params");
        if (!scheme.equals("sip") && !scheme.equals("sips")) {
            throw new IllegalArgumentException("scheme must be sip or sips, got '" + scheme + "'");
        }
        if (user != null) {
            userProblem(user).ifPresent(p -> {
                throw new IllegalArgumentException(p);
            });
        }
        HostSyntax.uriHostProblem(host).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        if (port.isPresent() && (port.getAsInt() < 1 || port.getAsInt() > 65535)) {
            throw new IllegalArgumentException("port " + port.getAsInt() + " is not in 1-65535");
        }
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** A URI without parameters. */
    public static SipUri of(String scheme, String user, String host, OptionalInt port) {
        return new SipUri(scheme, user, host, port, Map.of());
    }

    /** Parses {@code text}; throws {@link SipUriException} naming the first problem found. */
    public static SipUri parse(String text) {
        if (text == null || text.isBlank()) {
            throw new SipUriException("the SIP URI is empty");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw new SipUriException("'" + printable(text) + "' contains a space or control character at "
                        + "position " + (i + 1));
            }
        }
        int colon = text.indexOf(':');
        String scheme = colon < 0 ? "" : text.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("sip") && !scheme.equals("sips")) {
            throw new SipUriException("'" + text + "' does not start with sip: or sips:");
        }
        String rest = text.substring(colon + 1);
        if (rest.indexOf('?') >= 0 && rest.indexOf('@') < rest.indexOf('?')) {
            throw new SipUriException("'" + text + "' has URI headers ('?...'), which are not supported");
        }
        String user = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            user = rest.substring(0, at);
            rest = rest.substring(at + 1);
            if (user.isEmpty()) {
                throw new SipUriException("'" + text + "' has an empty user part before '@'");
            }
            if (user.indexOf(':') >= 0) {
                throw new SipUriException("'" + text + "' contains a password; put it in auth.password instead");
            }
            Optional<String> problem = userProblem(user);
            if (problem.isPresent()) {
                throw new SipUriException("'" + text + "': " + problem.get());
            }
            if (rest.indexOf('?') >= 0) {
                throw new SipUriException("'" + text + "' has URI headers ('?...'), which are not supported");
            }
        }
        int semi = rest.indexOf(';');
        String hostPort = semi < 0 ? rest : rest.substring(0, semi);
        Map<String, String> params = parseParams(text, semi < 0 ? "" : rest.substring(semi + 1));
        String host;
        String portText = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new SipUriException("'" + text + "' has an IPv6 reference without a closing ']'");
            }
            host = hostPort.substring(0, close + 1);
            String after = hostPort.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new SipUriException("'" + text + "' has '" + after + "' after the IPv6 reference");
                }
                portText = after.substring(1);
            }
        } else {
            int portColon = hostPort.lastIndexOf(':');
            host = portColon < 0 ? hostPort : hostPort.substring(0, portColon);
            portText = portColon < 0 ? null : hostPort.substring(portColon + 1);
        }
        if (host.isEmpty()) {
            throw new SipUriException("'" + text + "' has no host");
        }
        Optional<String> hostProblem = HostSyntax.uriHostProblem(host);
        if (hostProblem.isPresent()) {
            throw new SipUriException("'" + text + "': " + hostProblem.get());
        }
        OptionalInt port = OptionalInt.empty();
        if (portText != null) {
            port = OptionalInt.of(parsePort(text, portText));
        }
        return new SipUri(scheme, user, host, port, params);
    }

    /** The value of parameter {@code name} (case-insensitive), if present. */
    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name.toLowerCase(Locale.ROOT)));
    }

    public Optional<String> userPart() {
        return Optional.ofNullable(user);
    }

    public boolean isSecure() {
        return scheme.equals("sips");
    }

    public SipUri withUser(String newUser) {
        return new SipUri(scheme, newUser, host, port, params);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(scheme).append(':');
        if (user != null) {
            b.append(user).append('@');
        }
        b.append(host);
        port.ifPresent(p -> b.append(':').append(p));
        params.forEach((k, v) -> {
            b.append(';').append(k);
            if (!v.isEmpty()) {
                b.append('=').append(v);
            }
        });
        return b.toString();
    }

    /**
     * Why {@code user} is not a valid RFC 3261 user part, or empty: allowed are unreserved characters
     * ({@code A-Z a-z 0-9 - _ . ! ~ * ' ( )}), %-escapes and {@code & = + $ , ; ? /}.
     */
    public static Optional<String> userProblem(String user) {
        if (user.isEmpty()) {
            return Optional.of("the user part is empty");
        }
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (c == '%') {
                if (i + 2 >= user.length() || !isHex(user.charAt(i + 1)) || !isHex(user.charAt(i + 2))) {
                    return Optional.of("user part '" + printable(user) + "' has a bad %-escape at position "
                            + (i + 1));
                }
                i += 2;
            } else if (!isUserChar(c)) {
                return Optional.of("user part '" + printable(user) + "' contains '" + printable(String.valueOf(c))
                        + "', which must be %-escaped");
            }
        }
        return Optional.empty();
    }

    private static boolean isUserChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-_.!~*'()&=+$,;?/".indexOf(c) >= 0;
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private static int parsePort(String text, String portText) {
        if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new SipUriException("'" + text + "' has port '" + portText + "', expected a number 1-65535");
        }
        int port = Integer.parseInt(portText);
        if (port < 1 || port > 65535) {
            throw new SipUriException("'" + text + "' has port '" + portText + "', expected a number 1-65535");
        }
        return port;
    }

    private static Map<String, String> parseParams(String text, String paramText) {
        Map<String, String> params = new LinkedHashMap<>();
        if (paramText.isEmpty()) {
            return params;
        }
        for (String p : paramText.split(";", -1)) {
            int eq = p.indexOf('=');
            String name = (eq < 0 ? p : p.substring(0, eq)).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : p.substring(eq + 1);
            if (name.isEmpty() || !name.chars().allMatch(SipUri::isTokenChar)) {
                throw new SipUriException("'" + text + "' has a malformed parameter ';" + p + "'");
            }
            if (eq >= 0 && (value.isEmpty() || !value.chars().allMatch(ch -> isTokenChar(ch) || ch == '[' || ch == ']'
                    || ch == ':'))) {
                throw new SipUriException("'" + text + "' has a malformed value in parameter ';" + p + "'");
            }
            if (params.put(name, value) != null) {
                throw new SipUriException("'" + text + "' repeats parameter '" + name + "'");
            }
        }
        return params;
    }

    private static boolean isTokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-_.!~*'()%+`".indexOf(c) >= 0;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < ' ' || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}

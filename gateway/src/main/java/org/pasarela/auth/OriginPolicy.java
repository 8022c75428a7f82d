package org.pasarela.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which web pages may open a WebSocket to the gateway, judged by the handshake's {@code Origin} header (RFC 6455
 * §10.2, RFC 6454): pages from the gateway's own origin (Origin's host and port equal the {@code Host} header's),
 * pages from the configured origins, and {@code *} for any. Browsers always send Origin on a WebSocket handshake;
 * a request without one comes from a non-browser client, which could send any Origin it likes, so refusing it
 * protects nothing but breaks tools: whether it is let in is {@code allowMissing}. Pure; immutable; thread-safe.
 */
public final class OriginPolicy {
    /** Same-origin pages and clients without Origin. */
    public static final OriginPolicy DEFAULT = new OriginPolicy(List.of(), true);

    private final Set<String> allowed;
    private final boolean any;
    private final boolean allowMissing;

    /** @param allowedOrigins origins such as {@code https://phone.example.org}, or {@code *}; normalised here */
    public OriginPolicy(List<String> allowedOrigins, boolean allowMissing) {
        Set<String> set = new LinkedHashSet<>();
        for (String origin : allowedOrigins) {
            set.add(normalize(origin));
        }
        this.any = set.contains("*");
        this.allowed = Set.copyOf(set);
        this.allowMissing = allowMissing;
    }

    public Set<String> allowedOrigins() {
        return allowed;
    }

    public boolean allowsMissingOrigin() {
        return allowMissing;
    }

    /**
     * An origin as RFC 6454 §6.2 serialises it: lower-case {@code scheme://host[:port]}, the port only when it is
     * not the scheme's default; {@code *} and {@code null} stay as they are.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String normalize(String origin) {
        String text = origin.strip();
        if (text.equals("*") || text.equals("null")) {
            return text;
        }
        Parsed p = parse(text).orElseThrow(() -> new IllegalArgumentException("'" + origin
                + "' is not an origin: expected http(s)://host[:port] with no path, such as https://phone.example.org"));
        return p.serialized();
    }

    /** Empty when the handshake may proceed, else why not. {@code origin} and {@code host} may be null (absent). */
    public Optional<String> refusal(String origin, String host) {
        if (origin == null) {
            return allowMissing ? Optional.empty()
                    : Optional.of("no Origin header (http.allow-missing-origin = false)");
        }
        if (any) {
            return Optional.empty();
        }
        String text = origin.strip();
        if (text.equals("null")) {
            return allowed.contains("null") ? Optional.empty() : Optional.of("Origin null (an opaque origin) is not allowed");
        }
        Optional<Parsed> parsed = parse(text);
        if (parsed.isEmpty()) {
            return Optional.of("Origin is not http(s)://host[:port]");
        }
        if (allowed.contains(parsed.get().serialized()) || sameOrigin(parsed.get(), host)) {
            return Optional.empty();
        }
        return Optional.of("Origin " + parsed.get().serialized() + " is neither this gateway's (Host "
                + (host == null ? "missing" : host.strip()) + ") nor in http.allowed-origins");
    }

    private static boolean sameOrigin(Parsed origin, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        try {
            URI uri = new URI("http://" + host.strip() + "/");
            if (uri.getHost() == null || uri.getRawUserInfo() != null) {
                return false;
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : origin.defaultPort();
            return stripBrackets(uri.getHost()).equalsIgnoreCase(origin.host()) && port == origin.port();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private record Parsed(String scheme, String host, int port) {
        int defaultPort() {
            return scheme.equals("https") ? 443 : 80;
        }

        String serialized() {
            String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
            return scheme + "://" + h + (port == defaultPort() ? "" : ":" + port);
        }
    }

    private static Optional<Parsed> parse(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                    && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
            if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null || !bare) {
                return Optional.empty();
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
            return Optional.of(new Parsed(scheme, stripBrackets(uri.getHost()).toLowerCase(Locale.ROOT), port));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}

package org.pasarela.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads {@link WebConfig} from the gateway's properties: {@code https.*}, {@code http.allow-plain},
 * {@code http.max-connections}, {@code http.max-connections-per-address} and {@code auth.login-timeout}. Defaults
 * live in {@link GatewayConfigReader#DEFAULTS} with the other gateway keys. Pure: it decides whether
 * {@code http.address} is loopback from its spelling alone (127.0.0.0/8, ::1, localhost), never by DNS.
 */
final class WebConfigReader {
    static final Duration MAX_LOGIN_TIMEOUT = Duration.ofMinutes(10);

    private WebConfigReader() {
    }

    /**
     * @param httpAddress the plain listener's address ({@code http.address}), already validated
     * @param httpPort    the plain listener's port ({@code http.port}), already validated
     * @param configDir   what relative certificate paths are resolved against
     */
    static WebConfig read(PropertySet p, String httpAddress, int httpPort, Path configDir) {
        boolean allowPlain = p.bool("http.allow-plain", d("http.allow-plain"));
        if (!allowPlain && !isLoopback(httpAddress)) {
            throw p.bad(p.has("http.address") ? "http.address" : "http.allow-plain", "plain ws:// and http:// "
                    + "listen only on loopback (127.0.0.1, ::1, localhost): browsers elsewhere must use https.port; "
                    + "set http.allow-plain = true to serve http.address '" + httpAddress + "' in the clear anyway "
                    + "(e.g. behind a TLS-terminating proxy on another machine)");
        }
        boolean enabled = p.bool("https.enabled", d("https.enabled"));
        String address = p.address("https.address", d("https.address"));
        int port = p.port("https.port", d("https.port"), true);
        if (enabled && port != 0 && port == httpPort) {
            throw p.bad("https.port", "expected a port other than http.port (" + httpPort + "), where plain HTTP "
                    + "listens");
        }
        Optional<Path> certificate = p.optionalPath("https.certificate").map(configDir::resolve);
        Optional<Path> key = p.optionalPath("https.key").map(configDir::resolve);
        if (certificate.isPresent() != key.isPresent()) {
            String given = certificate.isPresent() ? "https.certificate" : "https.key";
            String other = certificate.isPresent() ? "https.key" : "https.certificate";
            throw p.bad(given, "expected " + other + " to be set as well (a certificate needs its private key)");
        }
        List<String> hostnames = hostnames(p, address);
        int perAddress = p.integer("http.max-connections-per-address", d("http.max-connections-per-address"), 1,
                100_000, "expected a number of connections 1-100000");
        int total = p.integer("http.max-connections", d("http.max-connections"), 1, 1_000_000,
                "expected a number of connections 1-1000000");
        if (total < perAddress) {
            throw p.bad("http.max-connections", "expected at least http.max-connections-per-address ("
                    + perAddress + ")");
        }
        Duration loginTimeout = p.duration("auth.login-timeout", d("auth.login-timeout"));
        if (loginTimeout.compareTo(Duration.ofSeconds(1)) < 0 || loginTimeout.compareTo(MAX_LOGIN_TIMEOUT) > 0) {
            throw p.bad("auth.login-timeout", "expected a duration from 1s to 10m");
        }
        return new WebConfig(enabled, address, port, certificate, key, hostnames, allowPlain, perAddress, total,
                loginTimeout);
    }

    /** {@code https.hostnames}, or by default localhost, 127.0.0.1, ::1 and a specific {@code https.address}. */
    private static List<String> hostnames(PropertySet p, String httpsAddress) {
        List<String> names = new ArrayList<>();
        if (p.optionalText("https.hostnames").isEmpty()) {
            names.addAll(List.of("localhost", "127.0.0.1", "::1"));
            if (!HostSyntax.isWildcard(httpsAddress) && !names.contains(httpsAddress.toLowerCase(Locale.ROOT))) {
                names.add(httpsAddress.toLowerCase(Locale.ROOT));
            }
            return names;
        }
        String expected = "expected a comma-separated list of host names and IP addresses the generated "
                + "certificate is for, such as phone.example.org,192.0.2.10";
        for (String name : p.list("https.hostnames", "", expected)) {
            Optional<String> problem = HostSyntax.addressProblem(name);
            if (problem.isPresent() || HostSyntax.isWildcard(name)) {
                throw p.bad("https.hostnames", expected + " ('" + name + "' is not one"
                        + problem.map(x -> ": " + x).orElse("") + ")");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (!names.contains(lower)) {
                names.add(lower);
            }
        }
        return names;
    }

    /** Loopback by its spelling: 127.0.0.0/8, ::1 (any spelling of it), localhost. */
    static boolean isLoopback(String address) {
        String a = address.toLowerCase(Locale.ROOT);
        if (a.equals("localhost") || a.endsWith(".localhost")) {
            return true;
        }
        if (HostSyntax.isIpv4(a)) {
            return a.startsWith("127.");
        }
        if (HostSyntax.isIpv6(a)) {
            int last = a.lastIndexOf(':');
            String group = a.substring(last + 1);
            return a.substring(0, last).chars().allMatch(c -> c == '0' || c == ':')
                    && group.matches("0{0,3}1");
        }
        return false;
    }

    private static String d(String key) {
        return GatewayConfigReader.DEFAULTS.get(key);
    }
}

package org.pasarela.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the gateway's raw properties into a validated {@link GatewayConfig}. Pure. The key list and defaults in
 * {@link #DEFAULTS} are the single source the shipped {@code etc/pasarela.properties} is checked against.
 */
final class GatewayConfigReader {
    /** Every gateway key with its default, in the order of {@code etc/pasarela.properties}. Empty = unset. */
    static final Map<String, String> DEFAULTS = defaults();

    static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern USER_KEY = Pattern.compile("users\\.(.+)\\.(password|sip-password)");
    private static final Pattern HASHED_USER_KEY = Pattern.compile("users\\.(.+)\\.password-hash");
    private static final Pattern GROUP_KEY = Pattern.compile("groups\\.(.+)\\.members");

    private GatewayConfigReader() {
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("http.address", "127.0.0.1");
        d.put("http.port", "8080");
        d.put("sip.address", "127.0.0.1");
        d.put("sip.port", "5060");
        d.put("sip.transports", "udp,tcp");
        d.put("sip.tls.port", "5061");
        d.put("sip.user-agent", "Pasarela");
        d.put("sip.dns-server", "");
        d.put("sip.max-requests-per-second-per-address", "20");
        d.put("sip.scanner-ban-time", "10m");
        d.put("tls.certificate", "");
        d.put("tls.key", "");
        d.put("tls.truststore", "");
        d.put("media.address", "127.0.0.1");
        d.put("rtp.port.min", "20000");
        d.put("rtp.port.max", "29999");
        d.put("media.threads", "0");
        d.put("media.calls-per-loop", "250");
        d.put("media.socket-receive-buffer", "16384");
        d.put("media.max-busy-percent", "75");
        d.put("data.dir", "./data");
        d.put("profile.default", "echo");
        d.put("call.no-answer-timeout", "120s");
        d.put("call.max-per-session", "8");
        d.put("call.ring-timeout", "60s");
        d.put("call.max-concurrent-per-user", "4");
        d.put("call.max-per-minute-per-user", "10");
        d.put("dialplan.country-code", "");
        d.put("dialplan.national-prefix", "0");
        d.put("dialplan.international-prefixes", "+,00");
        d.put("dialplan.premium-prefixes", "+1900,+1976,+449,+44871,+44872,+44873,+34803,+34806,+34807,+34905");
        d.put("echo.enabled", "true");
        d.put("echo.address", "127.0.0.1");
        d.put("echo.port", "5098");
        d.put("auth.max-failures", "5");
        d.put("auth.failure-window", "5m");
        d.put("auth.ban-time", "10m");
        d.put("auth.jwt.algorithms", "");
        d.put("auth.jwt.hs256-secret", "");
        d.put("auth.jwt.hs256-secret-file", "");
        d.put("auth.jwt.public-key", "");
        d.put("auth.jwt.issuer", "");
        d.put("auth.jwt.audience", "");
        d.put("auth.jwt.leeway", "30s");
        d.put("ws.max-frame-bytes", "1048576");
        d.put("history.jdbc-url", "");
        d.put("history.username", "");
        d.put("history.password", "");
        d.put("history.retention-days", "0");
        d.put("http.allowed-origins", "");
        d.put("http.allow-missing-origin", "true");
        d.put("turn.uris", "");
        d.put("turn.secret", "");
        d.put("turn.secret-file", "");
        d.put("turn.ttl", "1h");
        d.put("http.allow-plain", "false");
        d.put("http.max-connections-per-address", "20");
        d.put("http.max-connections", "1000");
        d.put("https.enabled", "true");
        d.put("https.address", "127.0.0.1");
        d.put("https.port", "8443");
        d.put("https.certificate", "");
        d.put("https.key", "");
        d.put("https.hostnames", "");
        d.put("auth.login-timeout", "20s");
        return java.util.Collections.unmodifiableMap(d);
    }

    static GatewayConfig read(PropertySet p) {
        for (String key : p.keys()) {
            if (!DEFAULTS.containsKey(key) && !key.startsWith("users.") && !key.startsWith("groups.")) {
                throw p.unknownKey(key, DEFAULTS.keySet());
            }
        }
        String httpAddress = p.address("http.address", d("http.address"));
        int httpPort = p.port("http.port", d("http.port"), true);
        String sipAddress = p.address("sip.address", d("sip.address"));
        int sipPort = p.port("sip.port", d("sip.port"), false);
        Set<Transport> transports = transports(p);
        int sipTlsPort = p.port("sip.tls.port", d("sip.tls.port"), false);
        String userAgent = p.plainText("sip.user-agent", d("sip.user-agent"), 128);
        Optional<String> dnsServer = dnsServer(p);
        Optional<Path> certificate = p.optionalPath("tls.certificate");
        Optional<Path> key = p.optionalPath("tls.key");
        Optional<Path> truststore = p.optionalPath("tls.truststore");
        if (certificate.isPresent() != key.isPresent()) {
            String given = certificate.isPresent() ? "tls.certificate" : "tls.key";
            String other = certificate.isPresent() ? "tls.key" : "tls.certificate";
            throw p.bad(given, "expected " + other + " to be set as well (a certificate needs its private key)");
        }
        if (transports.contains(Transport.TLS)) {
            if (certificate.isEmpty()) {
                throw p.bad("sip.transports", "tls needs tls.certificate and tls.key");
            }
            if (transports.contains(Transport.TCP) && sipTlsPort == sipPort) {
                throw p.bad("sip.tls.port", "expected a port other than sip.port (" + sipPort
                        + "), which TCP already listens on");
            }
        }
        String mediaAddress = p.address("media.address", d("media.address"));
        if (HostSyntax.isWildcard(mediaAddress)) {
            throw p.bad("media.address", "expected the address peers send RTP to, not a wildcard address");
        }
        if (!HostSyntax.isIpv4(mediaAddress) && !HostSyntax.isIpv6(mediaAddress)) {
            // It is written into SDP c= lines and ICE candidates, which take addresses, not names.
            throw p.bad("media.address", "expected an IPv4 or IPv6 address, not a host name");
        }
        int rtpMin = p.port("rtp.port.min", d("rtp.port.min"), false);
        int rtpMax = p.port("rtp.port.max", d("rtp.port.max"), false);
        if (rtpMin % 2 != 0) {
            throw p.bad("rtp.port.min", "expected an even port number (RTP uses even ports, RTCP the next one)");
        }
        if (rtpMin >= rtpMax) {
            throw p.bad("rtp.port.min", "expected less than rtp.port.max (" + rtpMax + ")");
        }
        if (rtpMax - rtpMin + 1 < 4) {
            throw p.bad("rtp.port.max", "expected a range of at least 4 ports from rtp.port.min (" + rtpMin + ")");
        }
        Path dataDir = p.path("data.dir", d("data.dir"));
        String defaultProfile = p.text("profile.default", d("profile.default"));
        if (!SipProfile.NAME.matcher(defaultProfile).matches()) {
            throw p.bad("profile.default", "expected a profile name matching " + SipProfile.NAME.pattern());
        }
        Duration noAnswer = p.duration("call.no-answer-timeout", d("call.no-answer-timeout"));
        int maxCalls = p.integer("call.max-per-session", d("call.max-per-session"), 1, 1000,
                "expected a number of calls 1-1000");
        Duration ringTimeout = p.duration("call.ring-timeout", d("call.ring-timeout"));
        boolean echoEnabled = p.bool("echo.enabled", d("echo.enabled"));
        String echoAddress = p.address("echo.address", d("echo.address"));
        int echoPort = p.port("echo.port", d("echo.port"), false);
        if (echoEnabled && echoPort == sipPort && echoAddress.equalsIgnoreCase(sipAddress)) {
            throw p.bad("echo.port", "expected a port other than sip.port (" + sipPort
                    + "): the echo service listens on its own port");
        }
        int maxFrame = p.integer("ws.max-frame-bytes", d("ws.max-frame-bytes"), 1024, 16 * 1024 * 1024,
                "expected a frame size in bytes 1024-16777216");
        return new GatewayConfig(httpAddress, httpPort, sipAddress, sipPort, transports, sipTlsPort, userAgent,
                dnsServer, certificate, key, truststore, mediaAddress, rtpMin, rtpMax, dataDir, defaultProfile, noAnswer, maxCalls,
                echoEnabled, echoAddress, echoPort, users(p, "password"), users(p, "sip-password"), maxFrame, history(p, dataDir),
                ringTimeout, groups(p), media(p));
    }

    private static MediaConfig media(PropertySet p) {
        int threads = p.integer("media.threads", d("media.threads"), 0, MediaConfig.MAX_THREADS,
                "expected a number of media threads 1-" + MediaConfig.MAX_THREADS + ", or 0 for one per processor");
        String expected = "expected a size in bytes " + MediaConfig.MIN_RECEIVE_BUFFER_BYTES + "-"
                + MediaConfig.MAX_RECEIVE_BUFFER_BYTES + ", or 0 for the kernel's default";
        int buffer = p.integer("media.socket-receive-buffer", d("media.socket-receive-buffer"), 0,
                MediaConfig.MAX_RECEIVE_BUFFER_BYTES, expected);
        if (buffer != 0 && buffer < MediaConfig.MIN_RECEIVE_BUFFER_BYTES) {
            throw p.bad("media.socket-receive-buffer", expected);
        }
        int callsPerLoop = p.integer("media.calls-per-loop", d("media.calls-per-loop"), 0,
                MediaConfig.MAX_CALLS_PER_LOOP, "expected a number of calls 1-" + MediaConfig.MAX_CALLS_PER_LOOP
                        + ", or 0 to spread every call over the loops evenly");
        int maxBusy = p.integer("media.max-busy-percent", d("media.max-busy-percent"), 0, 100,
                "expected a percentage 1-100, or 0 never to refuse a call because the media threads are busy");
        return new MediaConfig(threads, callsPerLoop, buffer, maxBusy);
    }

    /**
     * groups.NAME.members = alice,bob: who a DID mapped to group:NAME rings, in this order. A group's other keys
     * are call rules, read (and their typos refused) by {@link CallRulesReader}.
     */
    private static Map<String, List<String>> groups(PropertySet p) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String key : p.keys().stream().filter(k -> k.startsWith("groups.") && k.endsWith(".members"))
                .sorted().toList()) {
            Matcher m = GROUP_KEY.matcher(key);
            if (!m.matches()) {
                throw p.bad(key, "unknown key; groups are configured as groups.NAME.members = alice,bob");
            }
            String name = m.group(1);
            if (!USER_NAME.matcher(name).matches()) {
                throw p.bad(key, "expected a group name matching " + USER_NAME.pattern() + " in groups.NAME.members");
            }
            String expected = "expected a comma-separated list of user names such as alice,bob";
            if (p.text(key, "").isEmpty()) {
                throw p.bad(key, expected);
            }
            java.util.LinkedHashSet<String> members = new java.util.LinkedHashSet<>();
            for (String member : p.list(key, "", expected)) {
                if (!USER_NAME.matcher(member).matches()) {
                    throw p.bad(key, expected + " ('" + member + "' is not a user name matching "
                            + USER_NAME.pattern() + ")");
                }
                if (!members.add(member)) {
                    throw p.bad(key, expected + " (" + member + " is listed twice)");
                }
            }
            groups.put(name, List.copyOf(members));
        }
        return groups;
    }

    private static HistoryConfig history(PropertySet p, Path dataDir) {
        String url = p.optionalText("history.jdbc-url").orElse(HistoryConfig.defaultUrl(dataDir));
        if (!url.startsWith("jdbc:") || url.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
            throw p.badSecret("history.jdbc-url", "expected a JDBC URL such as jdbc:sqlite:/var/lib/pasarela/"
                    + "history.db or jdbc:postgresql://127.0.0.1:5432/pasarela, or nothing for "
                    + "jdbc:sqlite:<data.dir>/history.db");
        }
        Optional<String> username = p.optionalText("history.username");
        Optional<String> password = p.optionalText("history.password");
        if (password.isPresent() && username.isEmpty()) {
            throw p.badSecret("history.password", "expected history.username to be set as well");
        }
        int days = p.integer("history.retention-days", d("history.retention-days"), 0, 36500,
                "expected a number of days 0-36500 (0 = keep every call)");
        return new HistoryConfig(url, username, password, java.time.Duration.ofDays(days));
    }

    private static String d(String key) {
        return DEFAULTS.get(key);
    }

    /** "host:port", "host" (port 53), "[v6]:port" or "[v6]"; normalised to "host:port". */
    static Optional<String> dnsServer(PropertySet p) {
        Optional<String> value = p.optionalText("sip.dns-server");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String expected = "expected host:port of a DNS server such as 192.0.2.53:53 or [2001:db8::53]:53, or "
                + "nothing for the system's resolver";
        String v = value.get();
        String host;
        String port = "53";
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            if (close < 0) {
                throw p.bad("sip.dns-server", expected);
            }
            host = v.substring(1, close);
            String rest = v.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw p.bad("sip.dns-server", expected);
                }
                port = rest.substring(1);
            }
            if (!HostSyntax.isIpv6(host)) {
                throw p.bad("sip.dns-server", expected + " ('" + host + "' is not an IPv6 address)");
            }
            host = "[" + host + "]";
        } else {
            int colon = v.indexOf(':');
            if (colon >= 0 && v.indexOf(':', colon + 1) >= 0) {
                throw p.bad("sip.dns-server", expected + " (put an IPv6 address in brackets)");
            }
            host = colon < 0 ? v : v.substring(0, colon);
            if (colon >= 0) {
                port = v.substring(colon + 1);
            }
            Optional<String> problem = HostSyntax.addressProblem(host);
            if (host.isEmpty() || problem.isPresent()) {
                throw p.bad("sip.dns-server", expected + problem.map(x -> " (" + x + ")").orElse(""));
            }
        }
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw p.bad("sip.dns-server", expected + " (port '" + port + "' is not 1-65535)");
        }
        return Optional.of(host + ":" + Integer.parseInt(port));
    }

    private static Set<Transport> transports(PropertySet p) {
        String expected = "expected a comma-separated list of udp, tcp, tls";
        Set<Transport> transports = EnumSet.noneOf(Transport.class);
        for (String item : p.list("sip.transports", d("sip.transports"), expected)) {
            Transport t = Transport.parse(item).orElseThrow(() -> p.bad("sip.transports", expected));
            if (!transports.add(t)) {
                throw p.bad("sip.transports", expected + ", each at most once");
            }
        }
        return transports;
    }

    /** users.NAME.{@code kind}: the login password, or the password of the user's own SIP account. */
    private static Map<String, String> users(PropertySet p, String kind) {
        Map<String, String> users = new LinkedHashMap<>();
        List<String> keys = p.keys().stream().filter(k -> k.startsWith("users.")).toList();
        for (String key : keys) {
            if (HASHED_USER_KEY.matcher(key).matches()) {
                continue; // SecurityConfigReader reads hashes; this map keeps the plain passwords of old configs
            }
            if (key.endsWith(".group")) {
                continue; // the user's toll-fraud group, read by CallRulesReader
            }
            Matcher m = USER_KEY.matcher(key);
            if (!m.matches()) {
                throw p.badSecret(key, "unknown key; users are configured as users.NAME.password-hash "
                        + "(or users.NAME.password), and optionally users.NAME.sip-password and users.NAME.group");
            }
            if (!m.group(2).equals(kind)) {
                continue;
            }
            String name = m.group(1);
            if (!USER_NAME.matcher(name).matches()) {
                throw p.badSecret(key, "expected a user name matching " + USER_NAME.pattern()
                        + " in users.NAME." + kind);
            }
            String password = p.text(key, "");
            if (password.isEmpty()) {
                throw new ConfigException(p.entry(key).orElseThrow().where() + " is empty: expected a password");
            }
            if (kind.equals("sip-password") && !p.has("users." + name + ".password")
                    && !p.has("users." + name + ".password-hash")) {
                throw p.badSecret(key, "expected users." + name + ".password as well: only users who can log in "
                        + "have SIP accounts");
            }
            if (password.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
                throw p.badSecret(key, "expected a password without control characters");
            }
            users.put(name, password);
        }
        return users;
    }
}

package org.pasarela.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The gateway-wide settings from {@code etc/pasarela.properties} and {@code --set}. Each component corresponds to
 * one key, documented with its default in {@code etc/pasarela.properties}; {@link #defaults()} are the embedded
 * defaults the gateway runs on when that file is missing. Immutable; {@code toString()} hides passwords.
 *
 * <p>Ports of 0 for {@code httpPort} mean "any free port" (tests). {@code sipDnsServer} is "host:port" (IPv6
 * hosts in brackets) of the DNS server for RFC 3263 lookups; empty means the system's resolver. {@code tlsCertificate}, {@code tlsKey} and
 * {@code tlsTruststore} are PEM files, relative paths resolved against the working directory.
 * {@code users} maps each user name to its password; {@code sipPasswords} maps some of them to the password of
 * their own SIP account ({@code users.NAME.sip-password}, see {@link SipProfile#credentialsFor}).
 * {@code ringTimeout} is how long an incoming call rings the browsers; {@code groups} maps each group name
 * ({@code groups.NAME.members}) to its members, in ring order, for DIDs that ring {@code group:NAME}.
 * {@code media} is how the media relay runs: its threads and its sockets' receive buffer.
 */
public record GatewayConfig(
        String httpAddress,
        int httpPort,
        String sipAddress,
        int sipPort,
        Set<Transport> sipTransports,
        int sipTlsPort,
        String sipUserAgent,
        Optional<String> sipDnsServer,
        Optional<Path> tlsCertificate,
        Optional<Path> tlsKey,
        Optional<Path> tlsTruststore,
        String mediaAddress,
        int rtpPortMin,
        int rtpPortMax,
        Path dataDir,
        String defaultProfile,
        Duration noAnswerTimeout,
        int maxCallsPerSession,
        boolean echoEnabled,
        String echoAddress,
        int echoPort,
        Map<String, String> users,
        Map<String, String> sipPasswords,
        int wsMaxFrameBytes,
        HistoryConfig history,
        Duration ringTimeout,
        Map<String, List<String>> groups,
        MediaConfig media) {

    public GatewayConfig {
        Objects.requireNonNull(httpAddress, "httpAddress");
        Objects.requireNonNull(sipAddress, "sipAddress");
        Objects.requireNonNull(sipUserAgent, "sipUserAgent");
        Objects.requireNonNull(sipDnsServer, "sipDnsServer");
        Objects.requireNonNull(tlsCertificate, "tlsCertificate");
        Objects.requireNonNull(tlsKey, "tlsKey");
        Objects.requireNonNull(tlsTruststore, "tlsTruststore");
        Objects.requireNonNull(mediaAddress, "mediaAddress");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(defaultProfile, "defaultProfile");
        Objects.requireNonNull(noAnswerTimeout, "noAnswerTimeout");
        Objects.requireNonNull(echoAddress, "echoAddress");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(ringTimeout, "ringTimeout");
        Objects.requireNonNull(media, "media");
        requirePort("httpPort", httpPort, 0);
        requirePort("sipPort", sipPort, 1);
        requirePort("sipTlsPort", sipTlsPort, 1);
        requirePort("rtpPortMin", rtpPortMin, 1);
        requirePort("rtpPortMax", rtpPortMax, 1);
        requirePort("echoPort", echoPort, 1);
        if (sipTransports.isEmpty()) {
            throw new IllegalArgumentException("sipTransports must not be empty");
        }
        if (rtpPortMax - rtpPortMin + 1 < 4 || rtpPortMin % 2 != 0) {
            throw new IllegalArgumentException("RTP range " + rtpPortMin + "-" + rtpPortMax
                    + " must start on an even port and hold at least 4 ports");
        }
        if (noAnswerTimeout.isZero() || noAnswerTimeout.isNegative()) {
            throw new IllegalArgumentException("noAnswerTimeout must be positive, got " + noAnswerTimeout);
        }
        if (ringTimeout.isZero() || ringTimeout.isNegative()) {
            throw new IllegalArgumentException("ringTimeout must be positive, got " + ringTimeout);
        }
        Map<String, List<String>> copiedGroups = new LinkedHashMap<>();
        groups.forEach((name, members) -> {
            if (members.isEmpty()) {
                throw new IllegalArgumentException("group " + name + " has no members");
            }
            copiedGroups.put(name, List.copyOf(members));
        });
        groups = Collections.unmodifiableMap(copiedGroups);
        if (maxCallsPerSession < 1 || wsMaxFrameBytes < 1) {
            throw new IllegalArgumentException("maxCallsPerSession and wsMaxFrameBytes must be positive");
        }
        sipTransports = Collections.unmodifiableSet(EnumSet.copyOf(sipTransports));
        users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
        sipPasswords = Collections.unmodifiableMap(new LinkedHashMap<>(sipPasswords));
        for (String user : sipPasswords.keySet()) {
            if (!users.containsKey(user)) {
                throw new IllegalArgumentException("users." + user + ".sip-password needs users." + user + ".password");
            }
        }
    }

    /** The embedded defaults: what the gateway runs on with an empty or missing {@code etc/}. */
    public static GatewayConfig defaults() {
        return GatewayConfigReader.read(PropertySet.empty("built-in defaults"));
    }

    public GatewayConfig withHttpPort(int port) {
        return new GatewayConfig(httpAddress, port, sipAddress, sipPort, sipTransports, sipTlsPort, sipUserAgent,
                sipDnsServer, tlsCertificate, tlsKey, tlsTruststore, mediaAddress, rtpPortMin, rtpPortMax, dataDir, defaultProfile,
                noAnswerTimeout, maxCallsPerSession, echoEnabled, echoAddress, echoPort, users, sipPasswords, wsMaxFrameBytes, history,
                ringTimeout, groups, media);
    }

    public GatewayConfig withSipPort(int port) {
        return new GatewayConfig(httpAddress, httpPort, sipAddress, port, sipTransports, sipTlsPort, sipUserAgent,
                sipDnsServer, tlsCertificate, tlsKey, tlsTruststore, mediaAddress, rtpPortMin, rtpPortMax, dataDir, defaultProfile,
                noAnswerTimeout, maxCallsPerSession, echoEnabled, echoAddress, echoPort, users, sipPasswords, wsMaxFrameBytes, history,
                ringTimeout, groups, media);
    }

    public GatewayConfig withRtpPorts(int min, int max) {
        return new GatewayConfig(httpAddress, httpPort, sipAddress, sipPort, sipTransports, sipTlsPort, sipUserAgent,
                sipDnsServer, tlsCertificate, tlsKey, tlsTruststore, mediaAddress, min, max, dataDir, defaultProfile,
                noAnswerTimeout, maxCallsPerSession, echoEnabled, echoAddress, echoPort, users, sipPasswords, wsMaxFrameBytes, history,
                ringTimeout, groups, media);
    }

    public GatewayConfig withUsers(Map<String, String> newUsers) {
        return new GatewayConfig(httpAddress, httpPort, sipAddress, sipPort, sipTransports, sipTlsPort, sipUserAgent,
                sipDnsServer, tlsCertificate, tlsKey, tlsTruststore, mediaAddress, rtpPortMin, rtpPortMax, dataDir, defaultProfile,
                noAnswerTimeout, maxCallsPerSession, echoEnabled, echoAddress, echoPort, newUsers, sipPasswords, wsMaxFrameBytes, history,
                ringTimeout, groups, media);
    }

    /** A new data directory; a history left on its default URL moves along with it. */
    public GatewayConfig withDataDir(Path dir) {
        HistoryConfig moved = history.jdbcUrl().equals(HistoryConfig.defaultUrl(dataDir))
                ? new HistoryConfig(HistoryConfig.defaultUrl(dir), history.username(), history.password(),
                        history.retention())
                : history;
        return new GatewayConfig(httpAddress, httpPort, sipAddress, sipPort, sipTransports, sipTlsPort, sipUserAgent,
                sipDnsServer, tlsCertificate, tlsKey, tlsTruststore, mediaAddress, rtpPortMin, rtpPortMax, dir, defaultProfile,
                noAnswerTimeout, maxCallsPerSession, echoEnabled, echoAddress, echoPort, users, sipPasswords, wsMaxFrameBytes, moved,
                ringTimeout, groups, media);
    }

    /** Number of RTP ports in {@code rtpPortMin..rtpPortMax}, both included. */
    public int rtpPortCount() {
        return rtpPortMax - rtpPortMin + 1;
    }

    private static void requirePort(String what, int port, int min) {
        if (port < min || port > 65535) {
            throw new IllegalArgumentException(what + " " + port + " is not in " + min + "-65535");
        }
    }

    @Override
    public String toString() {
        return "GatewayConfig[http=" + httpAddress + ":" + httpPort + ", sip=" + sipAddress + ":" + sipPort + " "
                + sipTransports + " tls:" + sipTlsPort + ", userAgent=" + sipUserAgent
                + ", dnsServer=" + sipDnsServer.orElse("system")
                + ", tlsCertificate=" + tlsCertificate.map(Path::toString).orElse("-")
                + ", tlsKey=" + tlsKey.map(Path::toString).orElse("-")
                + ", tlsTruststore=" + tlsTruststore.map(Path::toString).orElse("-")
                + ", media=" + mediaAddress + " rtp " + rtpPortMin + "-" + rtpPortMax + ", dataDir=" + dataDir
                + ", defaultProfile=" + defaultProfile + ", noAnswerTimeout=" + noAnswerTimeout
                + ", maxCallsPerSession=" + maxCallsPerSession
                + ", echo=" + (echoEnabled ? echoAddress + ":" + echoPort : "off")
                + ", users=" + users.keySet().stream().collect(Collectors.joining(",", "[", "]"))
                + ", sipPasswords=" + sipPasswords.keySet().stream().collect(Collectors.joining(",", "[", "]"))
                + " (passwords hidden)"
                + ", wsMaxFrameBytes=" + wsMaxFrameBytes + ", history=" + history
                + ", ringTimeout=" + ringTimeout + ", groups=" + groups + ", media=" + media + "]";
    }
}

package org.pasarela.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SecurityEventTest {
    private static final Instant T = Instant.parse("2025-03-01T10:00:00.123Z");
    /**
     * fail2ban's {@code <HOST>} (fail2ban/server/failregex.py, 1.0), in Java syntax: an IPv4 address, an IPv6
     * address, or a host name. The filter in docs/security.md is compiled with it, as fail2ban would.
     */
    private static final String FAIL2BAN_HOST = "(?:\\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\\d{1,3}\\.){3}\\d{1,3})"
            + "|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|(?<=:):)))\\]?"
            + "|(?<dns>[\\w\\-.^_]*\\w))";
    private static Pattern failregex;

    @BeforeAll
    static void readFilterFromTheDocs() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/security.md"))) dir = dir.getParent();
        assertThat(dir).as("docs/security.md above the working directory").isNotNull();
        List<String> doc = Files.readAllLines(dir.resolve("docs/security.md"));
        String line = doc.stream().filter(l -> l.startsWith("failregex = ")).findFirst().orElseThrow();
        failregex = Pattern.compile(line.substring("failregex = ".length()).replace("<HOST>", FAIL2BAN_HOST));
    }

    private static String hostMatchedIn(String logLine) {
        Matcher m = failregex.matcher(logLine);
        if (!m.find()) return null;
        return m.group("ip4") != null ? m.group("ip4") : m.group("ip6") != null ? m.group("ip6") : m.group("dns");
    }

    /** What logback's shipped pattern writes around the message. */
    private static String logged(SecurityEvent event) {
        return "2025-03-01 10:00:00.123 WARN  [lane-3] pasarela.security - " + event.toLogLine();
    }

    @Test
    void formatsOneAsteriskStyleLine() {
        SecurityEvent event = new SecurityEvent(SecurityEvent.Type.InvalidPassword, T, "alice", "s7",
                new RemoteAddress("192.0.2.10", 54321), "wrong password");
        assertThat(event.toLogLine()).isEqualTo("SecurityEvent=\"InvalidPassword\",EventTV=\"2025-03-01T10:00:00.123Z\","
                + "Severity=\"Error\",Service=\"Pasarela\",EventVersion=\"1\",AccountID=\"alice\",SessionID=\"s7\","
                + "RemoteAddress=\"IPV4/WS/192.0.2.10/54321\",Reason=\"wrong password\"");
    }

    @Test
    void writesIpv6AddressesWithTheirFamily() {
        SecurityEvent event = new SecurityEvent(SecurityEvent.Type.FailedACL, T, null, null,
                new RemoteAddress("2001:db8::7", 443), "Origin https://evil.example is not allowed");
        assertThat(event.toLogLine()).contains("AccountID=\"\",SessionID=\"\",RemoteAddress=\"IPV6/WS/2001:db8::7/443\"");
    }

    @Test
    void percentEncodesQuotesBackslashesAndControlsSoNoValueEndsEarly() {
        SecurityEvent event = new SecurityEvent(SecurityEvent.Type.InvalidAccountID, T,
                "x\",RemoteAddress=\"IPV4/WS/203.0.113.9/1\\%\n", "s1", new RemoteAddress("192.0.2.10", 1), "r");
        String line = event.toLogLine();
        assertThat(line).contains("AccountID=\"x%22,RemoteAddress=%22IPV4/WS/203.0.113.9/1%5C%25%0A\"");
        assertThat(line).doesNotContain("\n");
        assertThat(hostMatchedIn(logged(event))).isEqualTo("192.0.2.10");
    }

    @Test
    void cutsLongValues() {
        SecurityEvent event = new SecurityEvent(SecurityEvent.Type.InvalidAccountID, T, "a".repeat(300), "s1",
                RemoteAddress.UNKNOWN, null);
        assertThat(event.toLogLine()).contains("AccountID=\"" + "a".repeat(128) + "...\"");
    }

    @Test
    void theDocumentedFail2banFilterFindsTheAddressOfEveryFailedLoginIdleConnectionAndCrowdedAddress() {
        for (SecurityEvent.Type type : List.of(SecurityEvent.Type.InvalidAccountID, SecurityEvent.Type.InvalidPassword,
                SecurityEvent.Type.InvalidToken, SecurityEvent.Type.LoginTimeout, SecurityEvent.Type.SessionLimit)) {
            SecurityEvent v4 = new SecurityEvent(type, T, "alice", "s1", new RemoteAddress("203.0.113.5", 6000), "x");
            SecurityEvent v6 = new SecurityEvent(type, T, "", "s2", new RemoteAddress("2001:db8::5", 6001), "x");
            assertThat(hostMatchedIn(logged(v4))).as(type.name()).isEqualTo("203.0.113.5");
            assertThat(hostMatchedIn(logged(v6))).as(type.name()).isEqualTo("2001:db8::5");
        }
    }

    @Test
    void theDocumentedFilterIgnoresSuccessesBansOriginRefusalsAndAFullGateway() {
        RemoteAddress from = new RemoteAddress("203.0.113.5", 6000);
        for (SecurityEvent.Type type : List.of(SecurityEvent.Type.SuccessfulAuth, SecurityEvent.Type.LoginBanned,
                SecurityEvent.Type.LoginRateLimited, SecurityEvent.Type.RequestNotAllowed, SecurityEvent.Type.FailedACL,
                SecurityEvent.Type.GatewayBusy)) {
            assertThat(hostMatchedIn(logged(new SecurityEvent(type, T, "alice", "s1", from, "x")))).as(type.name()).isNull();
        }
    }

    @Test
    void sipSideEventsNameTheirSipTransportWhereBrowserEventsSayWs() {
        SecurityEvent event = new SecurityEvent(SecurityEvent.Type.SipFlood, T, null, null,
                new RemoteAddress("198.51.100.7", 5070), "more than 20 SIP requests per second", SecurityEvent.Channel.UDP);
        assertThat(event.toLogLine()).isEqualTo("SecurityEvent=\"SipFlood\",EventTV=\"2025-03-01T10:00:00.123Z\","
                + "Severity=\"Warning\",Service=\"Pasarela\",EventVersion=\"1\",AccountID=\"\",SessionID=\"\","
                + "RemoteAddress=\"IPV4/UDP/198.51.100.7/5070\",Reason=\"more than 20 SIP requests per second\"");
    }

    @Test
    void theDocumentedFail2banFilterFindsTheAddressOfEverySipFloodOnEveryTransport() {
        for (SecurityEvent.Channel channel : List.of(SecurityEvent.Channel.UDP, SecurityEvent.Channel.TCP,
                SecurityEvent.Channel.TLS)) {
            SecurityEvent v4 = new SecurityEvent(SecurityEvent.Type.SipFlood, T, null, null,
                    new RemoteAddress("203.0.113.5", 5060), "x", channel);
            SecurityEvent v6 = new SecurityEvent(SecurityEvent.Type.SipFlood, T, null, null,
                    new RemoteAddress("2001:db8::5", 5060), "x", channel);
            assertThat(hostMatchedIn(logged(v4))).as(channel.name()).isEqualTo("203.0.113.5");
            assertThat(hostMatchedIn(logged(v6))).as(channel.name()).isEqualTo("2001:db8::5");
        }
    }
}

package org.pasarela.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewayConfigLoadingTest {
    @TempDir
    Path root;
    ConfigFixture fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigFixture(root);
    }

    @Test
    void runsOnEmbeddedDefaultsWhenConfigDirIsMissing() {
        LoadedConfig config = fx.load();
        GatewayConfig g = config.gateway();
        assertThat(g).isEqualTo(GatewayConfig.defaults());
        assertThat(g.httpAddress()).isEqualTo("127.0.0.1");
        assertThat(g.httpPort()).isEqualTo(8080);
        assertThat(g.sipAddress()).isEqualTo("127.0.0.1");
        assertThat(g.sipPort()).isEqualTo(5060);
        assertThat(g.sipTransports()).containsExactly(Transport.UDP, Transport.TCP);
        assertThat(g.sipTlsPort()).isEqualTo(5061);
        assertThat(g.sipUserAgent()).isEqualTo("Pasarela");
        assertThat(g.tlsCertificate()).isEmpty();
        assertThat(g.tlsKey()).isEmpty();
        assertThat(g.tlsTruststore()).isEmpty();
        assertThat(g.mediaAddress()).isEqualTo("127.0.0.1");
        assertThat(g.rtpPortMin()).isEqualTo(20000);
        assertThat(g.rtpPortMax()).isEqualTo(29999);
        assertThat(g.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(g.defaultProfile()).isEqualTo("echo");
        assertThat(g.noAnswerTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(g.maxCallsPerSession()).isEqualTo(8);
        assertThat(g.echoEnabled()).isTrue();
        assertThat(g.echoAddress()).isEqualTo("127.0.0.1");
        assertThat(g.echoPort()).isEqualTo(5098);
        assertThat(g.users()).isEmpty();
        assertThat(g.wsMaxFrameBytes()).isEqualTo(1048576);
        assertThat(g.media()).isEqualTo(new MediaConfig(0, 250, 16384, 75));
        assertThat(config.profiles()).containsOnlyKeys("echo");
        assertThat(config.defaultProfile()).map(SipProfile::name).contains("echo");
    }

    @Test
    void runsOnEmbeddedDefaultsWhenFileIsEmpty() {
        fx.gateway("# nothing set");
        assertThat(fx.load().gateway()).isEqualTo(GatewayConfig.defaults());
    }

    @Test
    void providesBuiltInEchoProfileReachingTheEchoService() {
        SipProfile echo = fx.gateway("echo.address = 127.0.0.2", "echo.port = 6000").load().profiles().get("echo");
        assertThat(echo.proxy()).hasToString("sip:echo@127.0.0.2:6000");
        assertThat(echo.transport()).isEqualTo(Transport.UDP);
        assertThat(echo.codecs()).containsExactly("PCMU", "PCMA", "G722", "telephone-event");
        assertThat(echo.dtmf()).isEqualTo(DtmfMode.RFC4733);
        assertThat(echo.allowSipUris()).isFalse();
        assertThat(echo.enabled()).isTrue();
    }

    @Test
    void bracketsIpv6EchoAddressInTheEchoProxyUri() {
        SipProfile echo = fx.load("echo.address=::1").profiles().get("echo");
        assertThat(echo.proxy()).hasToString("sip:echo@[::1]:5098");
    }

    @Test
    void readsEveryValueTypeFromTheFile() {
        GatewayConfig g = fx.gateway(
                "http.address = 0.0.0.0",
                "http.allow-plain = true",
                "http.port = 0",
                "sip.address = ::",
                "sip.port = 5070",
                "sip.transports = UDP , tcp",
                "sip.user-agent = Pasarela test",
                "media.address = 192.0.2.1",
                "rtp.port.min = 40000",
                "rtp.port.max = 40003",
                "data.dir = /var/lib/pasarela",
                "call.no-answer-timeout = 2m",
                "call.max-per-session = 2",
                "echo.enabled = FALSE",
                "ws.max-frame-bytes = 1024",
                "users.alice.password = wonderland",
                "users.bob.smith.password = builder").load().gateway();
        assertThat(g.httpAddress()).isEqualTo("0.0.0.0");
        assertThat(g.httpPort()).isZero();
        assertThat(g.sipAddress()).isEqualTo("::");
        assertThat(g.sipPort()).isEqualTo(5070);
        assertThat(g.sipTransports()).isEqualTo(EnumSet.of(Transport.UDP, Transport.TCP));
        assertThat(g.sipUserAgent()).isEqualTo("Pasarela test");
        assertThat(g.mediaAddress()).isEqualTo("192.0.2.1");
        assertThat(g.rtpPortMin()).isEqualTo(40000);
        assertThat(g.rtpPortMax()).isEqualTo(40003);
        assertThat(g.rtpPortCount()).isEqualTo(4);
        assertThat(g.dataDir()).isEqualTo(Path.of("/var/lib/pasarela"));
        assertThat(g.noAnswerTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(g.maxCallsPerSession()).isEqualTo(2);
        assertThat(g.echoEnabled()).isFalse();
        assertThat(g.wsMaxFrameBytes()).isEqualTo(1024);
        assertThat(g.users()).containsExactly(Map.entry("alice", "wonderland"), Map.entry("bob.smith", "builder"));
    }

    @ParameterizedTest
    @CsvSource({"90s, PT1M30S", "2m, PT2M", "500ms, PT0.5S", "120, PT2M", "1h, PT1H", "24h, PT24H"})
    void acceptsDurationsWithOrWithoutUnit(String text, Duration expected) {
        assertThat(fx.load("call.no-answer-timeout=" + text).gateway().noAnswerTimeout()).isEqualTo(expected);
    }

    @Test
    void commandLineOverrideWinsOverTheFile() {
        fx.gateway("http.port = 9000", "sip.port = 5070");
        GatewayConfig g = fx.load("http.port=9001").gateway();
        assertThat(g.httpPort()).isEqualTo(9001);
        assertThat(g.sipPort()).isEqualTo(5070);
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "http.port | 80a | expected a port number 1-65535, or 0 for any free port",
            "http.port | 65536 | expected a port number 1-65535, or 0 for any free port",
            "http.port | -1 | expected a port number 1-65535, or 0 for any free port",
            "sip.port | 0 | expected a port number 1-65535",
            "sip.tls.port | '' | expected a port number 1-65535",
            "echo.port | 99999999999 | expected a port number 1-65535",
            "http.address | not a host | expected a hostname or IP address ('not a host' is not a valid hostname "
                    + "(bad label 'not a host'))",
            "sip.address | 1::2::3 | expected a hostname or IP address ('1::2::3' is not a valid IPv6 address)",
            "echo.address | 256.0.0.1 | expected a hostname or IP address ('256.0.0.1' is not a valid IPv4 address)",
            "media.address | 0.0.0.0 | expected the address peers send RTP to, not a wildcard address",
            "media.address | pbx.example.net | expected an IPv4 or IPv6 address, not a host name",
            "sip.transports | udp,sctp | expected a comma-separated list of udp, tcp, tls",
            "sip.transports | udp,,tcp | expected a comma-separated list of udp, tcp, tls",
            "sip.transports | udp,UDP | expected a comma-separated list of udp, tcp, tls, each at most once",
            "sip.user-agent | '' | expected non-empty text of at most 128 characters without control characters",
            "rtp.port.min | 20001 | expected an even port number (RTP uses even ports, RTCP the next one)",
            "rtp.port.min | 30000 | expected less than rtp.port.max (29999)",
            "rtp.port.max | 20000 | expected less than rtp.port.max (20000)",
            "profile.default | my.trunk | expected a profile name matching [A-Za-z0-9_-]{1,64}",
            "call.no-answer-timeout | soon | expected a duration between 1ms and 24h such as 90s, 2m, 500ms or "
                    + "plain seconds",
            "call.no-answer-timeout | 0s | expected a duration between 1ms and 24h such as 90s, 2m, 500ms or "
                    + "plain seconds",
            "call.no-answer-timeout | 25h | expected a duration between 1ms and 24h such as 90s, 2m, 500ms or "
                    + "plain seconds",
            "call.max-per-session | 0 | expected a number of calls 1-1000",
            "echo.enabled | yes | expected true or false",
            "ws.max-frame-bytes | 100 | expected a frame size in bytes 1024-16777216",
            "data.dir | '' | expected a file or directory path",
            "media.threads | -1 | expected a number of media threads 1-256, or 0 for one per processor",
            "media.threads | 257 | expected a number of media threads 1-256, or 0 for one per processor",
            "media.calls-per-loop | -1 | expected a number of calls 1-100000, or 0 to spread every call over the "
                    + "loops evenly",
            "media.calls-per-loop | lots | expected a number of calls 1-100000, or 0 to spread every call over the "
                    + "loops evenly",
            "media.socket-receive-buffer | 4095 | expected a size in bytes 4096-16777216, or 0 for the kernel's "
                    + "default",
            "media.socket-receive-buffer | 64k | expected a size in bytes 4096-16777216, or 0 for the kernel's "
                    + "default",
            "media.socket-receive-buffer | 16777217 | expected a size in bytes 4096-16777216, or 0 for the "
                    + "kernel's default",
            "media.max-busy-percent | 101 | expected a percentage 1-100, or 0 never to refuse a call because the "
                    + "media threads are busy",
            "media.max-busy-percent | 90% | expected a percentage 1-100, or 0 never to refuse a call because the "
                    + "media threads are busy",
    })
    void refusesBadValueNamingFileKeyValueAndExpectation(String key, String value, String expected) {
        fx.gateway(key + " = " + value);
        String blamed = key.equals("rtp.port.max") ? "rtp.port.min" : key;
        String blamedValue = key.equals("rtp.port.max") ? "20000" : value;
        if (key.equals("rtp.port.max")) {
            fx.gateway("rtp.port.min = 20000", "rtp.port.max = 20000");
        }
        assertThatThrownBy(fx::load)
                .isInstanceOf(ConfigException.class)
                .hasMessage(fx.gatewayFile() + ": " + blamed + " = '" + blamedValue + "': " + expected);
    }

    @Test
    void runsOneMediaLoopPerProcessorUnlessTold() {
        assertThat(fx.load().gateway().media().loops(8)).isEqualTo(8);
        assertThat(fx.load().gateway().media().loops(0)).as("never no loop at all").isEqualTo(1);
        MediaConfig set = fx.load("media.threads=3", "media.socket-receive-buffer=0").gateway().media();
        assertThat(set.loops(8)).isEqualTo(3);
        assertThat(set.socketReceiveBufferBytes()).as("0 leaves the kernel's default").isZero();
        assertThat(fx.load("media.calls-per-loop=0").gateway().media().callsPerLoop()).as("0: always spread").isZero();
        assertThat(fx.load("media.max-busy-percent=0").gateway().media().maxBusyPercent()).as("0: never refuse")
                .isZero();
    }

    @Test
    void refusesRtpRangeOfFewerThanFourPorts() {
        assertThatThrownBy(() -> fx.load("rtp.port.min=20000", "rtp.port.max=20002"))
                .hasMessage("--set rtp.port.max = '20002': expected a range of at least 4 ports from rtp.port.min "
                        + "(20000)");
    }

    @Test
    void namesTheCommandLineWhenAnOverrideIsBad() {
        assertThatThrownBy(() -> fx.load("rtp.port.min=70000"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--set rtp.port.min = '70000': expected a port number 1-65535");
    }

    @Test
    void refusesUnknownKeyAndSuggestsTheClosestOne() {
        fx.gateway("htp.port = 80");
        assertThatThrownBy(fx::load)
                .hasMessage(fx.gatewayFile() + ": htp.port = '80': unknown key; did you mean 'http.port'?");
    }

    @Test
    void refusesUnknownKeyWithoutSuggestionWhenNothingIsClose() {
        assertThatThrownBy(() -> fx.load("colour=blue")).hasMessage("--set colour = 'blue': unknown key");
    }

    @Test
    void refusesKeySetTwiceInTheFile() {
        fx.gateway("http.port = 80", "# again", "http.port = 81");
        assertThatThrownBy(fx::load).hasMessage(fx.gatewayFile() + ": http.port is set twice (again on line 3); "
                + "keep one");
    }

    @Test
    void pointsProfileKeysInTheGatewayFileToTheProfileFile() {
        fx.gateway("profile.echo.codecs = PCMA");
        assertThatThrownBy(fx::load).hasMessage(fx.gatewayFile() + ": profile.echo.codecs: profile keys belong in "
                + fx.profileFile("echo") + " as 'codecs' (or on the command line as --set profile.echo.codecs=...)");
    }

    @Test
    void refusesFileThatIsNotUtf8() throws Exception {
        Files.createDirectories(fx.etc);
        Files.write(fx.etc.resolve("pasarela.properties"), new byte[] {'a', '=', (byte) 0xff, (byte) 0xfe});
        assertThatThrownBy(fx::load).hasMessage(fx.gatewayFile() + ": expected UTF-8 text");
    }

    @Test
    void refusesMalformedUnicodeEscape() {
        fx.gateway("sip.user-agent = \\u12G4");
        assertThatThrownBy(fx::load).isInstanceOf(ConfigException.class)
                .hasMessage(fx.gatewayFile() + ": line 1: Unable to parse unicode value: 12G4");
    }

    @Test
    void refusesUserKeysOtherThanPasswordWithoutShowingTheValue() {
        fx.gateway("users.alice.pasword = secret");
        assertThatThrownBy(fx::load).hasMessage(fx.gatewayFile() + ": users.alice.pasword = '***': unknown key; "
                + "users are configured as users.NAME.password-hash (or users.NAME.password), and optionally "
                + "users.NAME.sip-password and users.NAME.group");
    }

    @Test
    void refusesBadUserNameWithoutShowingThePassword() {
        assertThatThrownBy(() -> fx.load("users.al/ice.password=secret"))
                .hasMessage("--set users.al/ice.password = '***': expected a user name matching [A-Za-z0-9._-]{1,64} "
                        + "in users.NAME.password");
    }

    @Test
    void refusesEmptyPassword() {
        assertThatThrownBy(() -> fx.load("users.alice.password="))
                .hasMessage("--set users.alice.password is empty: expected a password");
    }

    @Test
    void hidesPasswordsWhenPrinted() {
        GatewayConfig g = fx.load("users.alice.password=wonderland").gateway();
        assertThat(g.toString()).contains("alice").doesNotContain("wonderland");
    }

    @Test
    void refusesTlsTransportWithoutCertificate() {
        assertThatThrownBy(() -> fx.load("sip.transports=udp,tls"))
                .hasMessage("--set sip.transports = 'udp,tls': tls needs tls.certificate and tls.key");
    }

    @Test
    void refusesCertificateWithoutKey() {
        assertThatThrownBy(() -> fx.load("tls.certificate=etc/tls/sip.crt"))
                .hasMessage("--set tls.certificate = 'etc/tls/sip.crt': expected tls.key to be set as well "
                        + "(a certificate needs its private key)");
    }

    @Test
    void refusesTlsFileThatDoesNotExist() {
        Path missing = root.resolve("missing.crt");
        Path key = root.resolve("sip.key");
        ConfigFixture.write(key, "not checked here");
        assertThatThrownBy(() -> fx.load("tls.certificate=" + missing, "tls.key=" + key))
                .hasMessage("--set tls.certificate = '" + missing + "': expected a PEM file; " + missing
                        + " does not exist (relative paths are resolved against the working directory)");
    }

    @Test
    void acceptsTlsTransportWithExistingFiles() {
        Path crt = root.resolve("sip.crt");
        Path key = root.resolve("sip.key");
        ConfigFixture.write(crt, "cert");
        ConfigFixture.write(key, "key");
        GatewayConfig g = fx.load("sip.transports=udp,tcp,tls", "tls.certificate=" + crt, "tls.key=" + key)
                .gateway();
        assertThat(g.sipTransports()).containsExactly(Transport.UDP, Transport.TCP, Transport.TLS);
        assertThat(g.tlsCertificate()).contains(crt);
        assertThat(g.tlsKey()).contains(key);
        assertThat(g.tlsTruststore()).isEqualTo(Optional.empty());
    }

    @Test
    void refusesTlsPortEqualToTcpPort() {
        Path crt = root.resolve("sip.crt");
        ConfigFixture.write(crt, "cert");
        assertThatThrownBy(() -> fx.load("sip.transports=tcp,tls", "tls.certificate=" + crt, "tls.key=" + crt,
                "sip.tls.port=5060"))
                .hasMessage("--set sip.tls.port = '5060': expected a port other than sip.port (5060), which TCP "
                        + "already listens on");
    }

    @Test
    void refusesEchoServiceOnTheSipPort() {
        assertThatThrownBy(() -> fx.load("echo.port=5060"))
                .hasMessage("--set echo.port = '5060': expected a port other than sip.port (5060): the echo service "
                        + "listens on its own port");
    }

    @Test
    void allowsEchoOnTheSipPortWhenEchoIsDisabled() {
        assertThat(fx.load("echo.port=5060", "echo.enabled=false").gateway().echoPort()).isEqualTo(5060);
    }

    @Test
    void refusesProfilesDirectoryThatIsAFile() {
        ConfigFixture.write(fx.profiles, "not a directory");
        assertThatThrownBy(fx::load).hasMessage(fx.profiles + ": expected a directory of NAME.properties files");
    }

    @Test
    void derivesCopiesWithOtherPorts() {
        GatewayConfig g = GatewayConfig.defaults().withHttpPort(0).withSipPort(5070).withRtpPorts(30000, 30009);
        assertThat(g.httpPort()).isZero();
        assertThat(g.sipPort()).isEqualTo(5070);
        assertThat(g.rtpPortCount()).isEqualTo(10);
        assertThatThrownBy(() -> g.withRtpPorts(30001, 30009)).isInstanceOf(IllegalArgumentException.class);
    }
}

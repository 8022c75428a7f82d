package org.pasarela.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebConfigLoadingTest {
    @TempDir
    Path root;
    private ConfigFixture fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigFixture(root);
    }

    @Test
    void defaultsServeHttpsOn8443WithAGeneratedCertificateAndPlainHttpOnLoopback() {
        WebConfig web = fx.load().web();
        assertThat(web.httpsEnabled()).isTrue();
        assertThat(web.httpsAddress()).isEqualTo("127.0.0.1");
        assertThat(web.httpsPort()).isEqualTo(8443);
        assertThat(web.httpsCertificate()).isEmpty();
        assertThat(web.httpsHostnames()).containsExactly("localhost", "127.0.0.1", "::1");
        assertThat(web.allowPlain()).isFalse();
        assertThat(web.maxConnectionsPerAddress()).isEqualTo(20);
        assertThat(web.maxConnections()).isEqualTo(1000);
        assertThat(web.loginTimeout()).isEqualTo(Duration.ofSeconds(20));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "192.0.2.7", "2001:db8::1", "phone.example.org"})
    void refusesPlainHttpOnANonLoopbackAddressNamingBothKeys(String address) {
        fx.gateway("http.address = " + address);
        assertThatThrownBy(fx::load)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(fx.gatewayFile() + ": http.address = '" + address + "': plain ws:// and "
                        + "http:// listen only on loopback")
                .hasMessageContaining("set http.allow-plain = true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1", "localhost", "LOCALHOST"})
    void acceptsPlainHttpOnLoopbackSpellings(String address) {
        assertThat(fx.load("http.address=" + address).gateway().httpAddress()).isEqualTo(address);
    }

    @Test
    void allowPlainLetsHttpFaceTheNetwork() {
        LoadedConfig config = fx.load("http.address=0.0.0.0", "http.allow-plain=true");
        assertThat(config.gateway().httpAddress()).isEqualTo("0.0.0.0");
        assertThat(config.web().allowPlain()).isTrue();
    }

    @Test
    void resolvesRelativeCertificatePathsAgainstTheConfigurationDirectory() throws IOException {
        Files.createDirectories(fx.etc.resolve("tls"));
        Files.writeString(fx.etc.resolve("tls/web.crt"), "x");
        Files.writeString(fx.etc.resolve("tls/web.key"), "x");
        WebConfig web = fx.load("https.certificate=tls/web.crt", "https.key=tls/web.key").web();
        assertThat(web.httpsCertificate()).contains(fx.etc.resolve("tls/web.crt"));
        assertThat(web.httpsKey()).contains(fx.etc.resolve("tls/web.key"));
    }

    @Test
    void keepsAbsoluteCertificatePaths() throws IOException {
        Path crt = Files.writeString(root.resolve("web.crt"), "x");
        Path key = Files.writeString(root.resolve("web.key"), "x");
        WebConfig web = fx.load("https.certificate=" + crt, "https.key=" + key).web();
        assertThat(web.httpsCertificate()).contains(crt);
    }

    @Test
    void refusesAMissingCertificateFileNamingTheDirectoryItWasLookedFor() {
        Path key = root.resolve("web.key");
        ConfigFixture.write(key, "x");
        assertThatThrownBy(() -> fx.load("https.certificate=nope.crt", "https.key=" + key))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--set https.certificate = 'nope.crt': expected a PEM certificate chain; ")
                .hasMessageContaining("resolved against the configuration directory " + fx.etc.toAbsolutePath());
    }

    @Test
    void refusesACertificateWithoutItsKey() throws IOException {
        Path crt = Files.writeString(root.resolve("web.crt"), "x");
        assertThatThrownBy(() -> fx.load("https.certificate=" + crt))
                .hasMessage("--set https.certificate = '" + crt + "': expected https.key to be set as well (a "
                        + "certificate needs its private key)");
    }

    @Test
    void hostnamesReplaceTheDefaultsLowerCased() {
        assertThat(fx.load("https.hostnames=Phone.Example.org, 192.0.2.10,2001:db8::1").web().httpsHostnames())
                .containsExactly("phone.example.org", "192.0.2.10", "2001:db8::1");
    }

    @Test
    void defaultHostnamesIncludeASpecificHttpsAddress() {
        assertThat(fx.load("https.address=192.0.2.10").web().httpsHostnames())
                .containsExactly("localhost", "127.0.0.1", "::1", "192.0.2.10");
        assertThat(fx.load("https.address=0.0.0.0").web().httpsHostnames())
                .containsExactly("localhost", "127.0.0.1", "::1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https.port | 8080 | expected a port other than http.port (8080), where plain HTTP listens",
            "https.port | 70000 | expected a port number 1-65535, or 0 for any free port",
            "https.enabled | maybe | expected true or false",
            "http.allow-plain | 1 | expected true or false",
            "https.hostnames | a..b | expected a comma-separated list of host names and IP addresses the generated "
                    + "certificate is for, such as phone.example.org,192.0.2.10 ('a..b' is not one: 'a..b' is not "
                    + "a valid hostname (bad label ''))",
            "https.hostnames | 0.0.0.0 | expected a comma-separated list of host names and IP addresses the "
                    + "generated certificate is for, such as phone.example.org,192.0.2.10 ('0.0.0.0' is not one)",
            "http.max-connections-per-address | 0 | expected a number of connections 1-100000",
            "http.max-connections | 10 | expected at least http.max-connections-per-address (20)",
            "auth.login-timeout | 500ms | expected a duration from 1s to 10m",
            "auth.login-timeout | 11m | expected a duration from 1s to 10m",
    })
    void refusesBadValuesNamingKeyValueAndExpectation(String key, String value, String expected) {
        fx.gateway(key + " = " + value);
        assertThatThrownBy(fx::load)
                .isInstanceOf(ConfigException.class)
                .hasMessage(fx.gatewayFile() + ": " + key + " = '" + value + "': " + expected);
    }

    @Test
    void httpsMayBeTurnedOffAndThenItsPortMayEqualHttpPort() {
        assertThat(fx.load("https.enabled=false", "https.port=8080").web().httpsEnabled()).isFalse();
    }
}

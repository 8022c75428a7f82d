package org.pasarela.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DnsServerConfigTest {
    @TempDir
    Path root;
    ConfigFixture fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigFixture(root);
    }

    @Test
    void emptyMeansTheSystemResolver() {
        assertThat(fx.load().gateway().sipDnsServer()).isEmpty();
        assertThat(fx.load("sip.dns-server=").gateway().sipDnsServer()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "127.0.0.1:5353 | 127.0.0.1:5353",
            "192.0.2.53 | 192.0.2.53:53",
            "ns.example.net:53 | ns.example.net:53",
            "[2001:db8::53]:5353 | [2001:db8::53]:5353",
            "[::1] | [::1]:53",
    })
    void acceptsHostAndOptionalPortNormalisedToHostColonPort(String value, String expected) {
        assertThat(fx.load("sip.dns-server=" + value).gateway().sipDnsServer()).contains(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "127.0.0.1:0 | (port '0' is not 1-65535)",
            "127.0.0.1:dns | (port 'dns' is not 1-65535)",
            "2001:db8::53 | (put an IPv6 address in brackets)",
            "[2001:db8::53 | ",
            "[not-v6]:53 | ('not-v6' is not an IPv6 address)",
            ":53 | ",
    })
    void refusesWhatIsNotHostColonPortNamingKeyAndValue(String value, String detail) {
        String expected = "expected host:port of a DNS server such as 192.0.2.53:53 or [2001:db8::53]:53, or "
                + "nothing for the system's resolver";
        assertThatThrownBy(() -> fx.load("sip.dns-server=" + value))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--set sip.dns-server = '" + value + "': " + expected)
                .hasMessageContaining(detail == null ? expected : detail);
    }
}

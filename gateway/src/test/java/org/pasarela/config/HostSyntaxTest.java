package org.pasarela.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"::", "::1", "2001:db8::1", "fe80::1:2:3:4", "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1",
            "2001:DB8:0:0:8:800:200C:417A"})
    void acceptsIpv6TextForms(String address) {
        assertThat(HostSyntax.isIpv6(address)).isTrue();
        assertThat(HostSyntax.addressProblem(address)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "::g", ":1::2",
            "::1.2.3"})
    void refusesMalformedIpv6(String address) {
        assertThat(HostSyntax.isIpv6(address)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "trunk.example.net", "trunk.example.net.", "a-b.c0"})
    void acceptsHostnamesAndIpv4(String host) {
        assertThat(HostSyntax.uriHostProblem(host)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "256.1.1.1", "-bad.example", "bad-.example", "a..b", "under_score"})
    void refusesMalformedHosts(String host) {
        assertThat(HostSyntax.uriHostProblem(host)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "0:0::0", "[::]"})
    void recognisesWildcardAddresses(String address) {
        assertThat(HostSyntax.isWildcard(address)).isTrue();
    }
}

package org.pasarela.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** inbound.* profile keys, groups.NAME.members and call.ring-timeout. */
class InboundConfigTest {
    @TempDir
    Path root;
    ConfigFixture fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigFixture(root);
    }

    @Test
    void readsTrustedNetworksDidsAndInboundRewrites() {
        fx.gateway("groups.reception.members = bob, carol");
        SipProfile trunk = fx.profile("trunk", "proxy = sip:trunk.example.net",
                "inbound.networks = 192.0.2.0/28, 198.51.100.7, 2001:db8::/32",
                "inbound.did.931234567 = alice",
                "inbound.did.+34931234500 = group:reception",
                "inbound.rewrite.1.match = 0034([0-9]{9})",
                "inbound.rewrite.1.replace = $1").load().profiles().get("trunk");
        InboundSettings inbound = trunk.inbound();
        assertThat(inbound.networks()).extracting(IpNetwork::toString)
                .containsExactly("192.0.2.0/28", "198.51.100.7/32", "2001:db8:0:0:0:0:0:0/32");
        assertThat(inbound.dids()).containsEntry("931234567", new DidTarget.User("alice"))
                .containsEntry("+34931234500", new DidTarget.Group("reception"));
        assertThat(inbound.rewrites()).containsExactly(RewriteRule.of("0034([0-9]{9})", "$1"));
        assertThat(inbound.trusts("192.0.2.15")).isTrue();
        assertThat(inbound.trusts("192.0.2.16")).isFalse();
        assertThat(inbound.trusts("2001:db8:ffff::1")).isTrue();
        assertThat(trunk.rewrites()).isEmpty();
    }

    @Test
    void takesNoTrunkCallsByDefault() {
        SipProfile p = fx.profile("trunk", "proxy = sip:trunk.example.net").load().profiles().get("trunk");
        assertThat(p.inbound()).isEqualTo(InboundSettings.NONE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "inbound.networks = 192.0.2.0/24,,10.0.0.1 | : inbound.networks = '192.0.2.0/24,,10.0.0.1': expected a "
                    + "comma-separated list of IPv4/IPv6 addresses or networks such as 192.0.2.10, 198.51.100.0/24, "
                    + "2001:db8::/32",
            "inbound.networks = trunk.example.net | : inbound.networks = 'trunk.example.net': expected a "
                    + "comma-separated list of IPv4/IPv6 addresses or networks such as 192.0.2.10, 198.51.100.0/24, "
                    + "2001:db8::/32 ('trunk.example.net' is not an IPv4 or IPv6 address)",
            "inbound.networks = 192.0.2.0/33 | : inbound.networks = '192.0.2.0/33': expected a comma-separated list "
                    + "of IPv4/IPv6 addresses or networks such as 192.0.2.10, 198.51.100.0/24, 2001:db8::/32 (prefix "
                    + "length '33' of 192.0.2.0/33 is not 0-32)",
            "inbound.networks = 192.0.2.1/24 | : inbound.networks = '192.0.2.1/24': expected a comma-separated list "
                    + "of IPv4/IPv6 addresses or networks such as 192.0.2.10, 198.51.100.0/24, 2001:db8::/32 "
                    + "(192.0.2.1/24 has host bits set; the network is 192.0.2.0/24)",
            "inbound.did.931234567 = bad user | : inbound.did.931234567 = 'bad user': expected a user name (alice) "
                    + "or group:NAME ('bad user' is not a user name ([A-Za-z0-9._-]{1,64}))",
            "inbound.did.931234567 = group: | : inbound.did.931234567 = 'group:': expected a user name (alice) or "
                    + "group:NAME ('' is not a group name ([A-Za-z0-9._-]{1,64}))",
            "inbound.did.93 12 = alice | : inbound.did.93 = '12 = alice': expected a user name (alice) or group:NAME "
                    + "('12 = alice' is not a user name ([A-Za-z0-9._-]{1,64}))",
            "inbound.did.9/3 = alice | : inbound.did.9/3 = 'alice': expected inbound.did.NUMBER, NUMBER the called "
                    + "number as the trunk sends it (after inbound.rewrite), made of digits, letters and + * # . _ -; "
                    + "'9/3' is not",
            "inbound.rewrite.1.match = ([0-9]+) | : inbound.rewrite.1.replace is missing: inbound.rewrite.1.match "
                    + "needs a replacement",
            "inbound.rewrite.x.match = 1 | : inbound.rewrite.x.match = '1': unknown key; rules are "
                    + "inbound.rewrite.N.match and inbound.rewrite.N.replace, N a whole number without leading zeros",
            "inbound.network = 192.0.2.1 | : inbound.network = '192.0.2.1': unknown key; did you mean "
                    + "'inbound.networks'?",
    })
    void refusesBadInboundValueNamingFileKeyValueAndExpectation(String line, String expectedSuffix) {
        fx.profile("trunk", "proxy = sip:trunk.example.net", line);
        assertThatThrownBy(fx::load).isInstanceOf(ConfigException.class)
                .hasMessage(fx.profileFile("trunk") + expectedSuffix);
    }

    @Test
    void refusesADidNamingAnUndefinedGroup() {
        fx.gateway("groups.sales.members = alice");
        fx.profile("trunk", "proxy = sip:trunk.example.net", "inbound.did.100 = group:reception");
        assertThatThrownBy(fx::load).isInstanceOf(ConfigException.class)
                .hasMessage(fx.profileFile("trunk") + ": inbound.did.100 = 'group:reception': expected a group "
                        + "defined in " + fx.gatewayFile() + " as groups.reception.members = alice,bob; there is none");
    }

    @Test
    void readsGroupsInRingOrderAndTheRingTimeout() {
        GatewayConfig g = fx.gateway("groups.reception.members = carol, alice", "groups.night.members = bob",
                "call.ring-timeout = 45s").load().gateway();
        assertThat(g.groups()).containsEntry("reception", List.of("carol", "alice"))
                .containsEntry("night", List.of("bob"));
        assertThat(g.ringTimeout()).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void ringsForSixtySecondsWithNoGroupsByDefault() {
        assertThat(GatewayConfig.defaults().ringTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(GatewayConfig.defaults().groups()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "groups.reception.members = | : groups.reception.members = '': expected a comma-separated list of user "
                    + "names such as alice,bob",
            "groups.reception.members = alice,,bob | : groups.reception.members = 'alice,,bob': expected a "
                    + "comma-separated list of user names such as alice,bob",
            "groups.reception.members = alice,alice | : groups.reception.members = 'alice,alice': expected a "
                    + "comma-separated list of user names such as alice,bob (alice is listed twice)",
            "groups.reception.members = al ice | : groups.reception.members = 'al ice': expected a comma-separated "
                    + "list of user names such as alice,bob ('al ice' is not a user name matching [A-Za-z0-9._-]{1,64})",
            "groups.reception.member = alice | : groups.reception.member = 'alice': unknown key; groups are "
                    + "configured as groups.NAME.members = alice,bob",
            "groups.rec/eption.members = alice | : groups.rec/eption.members = 'alice': expected a group name "
                    + "matching [A-Za-z0-9._-]{1,64} in groups.NAME.members",
            "call.ring-timeout = forever | : call.ring-timeout = 'forever': expected a duration between 1ms and 24h "
                    + "such as 90s, 2m, 500ms or plain seconds",
    })
    void refusesBadGatewayValueNamingFileKeyValueAndExpectation(String line, String expectedSuffix) {
        fx.gateway(line);
        assertThatThrownBy(fx::load).isInstanceOf(ConfigException.class)
                .hasMessage(fx.gatewayFile() + expectedSuffix);
    }

    @Test
    void matchesIpv4MappedSourcesAgainstIpv4Networks() {
        assertThat(IpNetwork.parse("192.0.2.0/24").contains("::ffff:192.0.2.9")).isTrue();
        assertThat(IpNetwork.parse("0.0.0.0/0").contains("2001:db8::1")).isFalse();
        assertThat(IpNetwork.parse("192.0.2.0/24").contains("not-an-address")).isFalse();
        assertThat(IpNetwork.parse("2001:db8::/32").contains("[2001:db8::5]")).isTrue();
    }
}

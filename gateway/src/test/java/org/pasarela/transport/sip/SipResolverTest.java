package org.pasarela.transport.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pasarela.config.SipUri;
import org.pasarela.config.Transport;

class SipResolverTest {
    /** A DNS server in a map: name -> SRV texts, host -> addresses; names in {@code broken} do not answer. */
    private static final class FakeDns implements DnsLookup {
        final Map<String, List<String>> srv = new HashMap<>();
        final Map<String, List<String>> hosts = new HashMap<>();
        final List<String> asked = new java.util.ArrayList<>();
        String broken = "";

        @Override
        public List<String> srv(String name) throws DnsException {
            asked.add("SRV " + name);
            if (name.endsWith(broken) && !broken.isEmpty()) {
                throw new DnsException("DNS server 192.0.2.53:53 did not answer SRV " + name + ": timeout");
            }
            return srv.getOrDefault(name, List.of());
        }

        @Override
        public List<String> addresses(String host) {
            asked.add("A/AAAA " + host);
            return hosts.getOrDefault(host, List.of());
        }

        @Override
        public String server() {
            return "DNS server 192.0.2.53:53";
        }
    }

    private final FakeDns dns = new FakeDns();
    private final TlsPeerNames tlsPeers = new TlsPeerNames();
    private final SipResolver resolver = new SipResolver(dns, true, () -> 0L, tlsPeers);

    @Test
    void usesTheSrvRecordOfTheProfilesTransport() throws Exception {
        dns.srv.put("_sip._tcp.guifi.test", List.of("10 10 5062 sipp.guifi.test."));
        dns.hosts.put("sipp.guifi.test", List.of("192.0.2.7"));
        assertThat(resolver.resolve(SipUri.parse("sip:guifi.test"), Transport.TCP))
                .isEqualTo(new SipHop("192.0.2.7", 5062, Transport.TCP));
        assertThat(dns.asked).containsExactly("SRV _sip._tcp.guifi.test", "A/AAAA sipp.guifi.test");
    }

    @Test
    void tlsAsksForSipsOverTcp() throws Exception {
        dns.srv.put("_sips._tcp.guifi.test", List.of("0 0 5061 tls.guifi.test."));
        dns.hosts.put("tls.guifi.test", List.of("192.0.2.8"));
        assertThat(resolver.resolve(SipUri.parse("sip:guifi.test;transport=tls"), Transport.TLS))
                .isEqualTo(new SipHop("192.0.2.8", 5061, Transport.TLS));
    }

    @Test
    void tlsHopsExpectTheProxyDomainNotTheSrvTarget() throws Exception {
        dns.srv.put("_sips._tcp.guifi.test", List.of("0 0 5061 tls.guifi.test."));
        dns.hosts.put("tls.guifi.test", List.of("192.0.2.8"));
        resolver.resolve(SipUri.parse("sips:guifi.test"), Transport.TLS);
        resolver.resolve(SipUri.parse("sips:[2001:db8::1]:5071"), Transport.TLS);
        assertThat(tlsPeers.expectedName(InetAddress.getByName("192.0.2.8"), 5061)).isEqualTo("guifi.test");
        assertThat(tlsPeers.expectedName(InetAddress.getByName("2001:db8::1"), 5071)).isEqualTo("2001:db8::1");
        assertThat(tlsPeers.expectedName(InetAddress.getByName("192.0.2.9"), 5061)).isEqualTo("192.0.2.9");
    }

    @Test
    void triesTargetsInPriorityOrderAndSkipsOnesWithoutAddress() throws Exception {
        dns.srv.put("_sip._udp.guifi.test", List.of("20 100 5070 backup.guifi.test.", "10 5 5060 gone.guifi.test.",
                "10 0 5080 other.guifi.test."));
        dns.hosts.put("backup.guifi.test", List.of("192.0.2.20"));
        dns.hosts.put("other.guifi.test", List.of("192.0.2.30"));
        // LOWEST random: weight 0 first, so other.guifi.test (priority 10) wins over the backup.
        assertThat(resolver.resolve(SipUri.parse("sip:guifi.test"), Transport.UDP))
                .isEqualTo(new SipHop("192.0.2.30", 5080, Transport.UDP));
    }

    @Test
    void fallsBackToTheDomainsAddressOnTheDefaultPortWithoutSrv() throws Exception {
        dns.hosts.put("pbx.example", List.of("192.0.2.40", "2001:db8::40"));
        assertThat(resolver.resolve(SipUri.parse("sip:pbx.example"), Transport.UDP))
                .isEqualTo(new SipHop("192.0.2.40", 5060, Transport.UDP));
        assertThat(resolver.resolve(SipUri.parse("sips:pbx.example"), Transport.TLS))
                .isEqualTo(new SipHop("192.0.2.40", 5061, Transport.TLS));
    }

    @Test
    void anExplicitPortSkipsSrvAndALiteralSkipsDns() throws Exception {
        dns.hosts.put("pbx.example", List.of("192.0.2.40"));
        assertThat(resolver.resolve(SipUri.parse("sip:pbx.example:5080"), Transport.UDP))
                .isEqualTo(new SipHop("192.0.2.40", 5080, Transport.UDP));
        assertThat(resolver.resolve(SipUri.parse("sip:192.0.2.50"), Transport.TCP))
                .isEqualTo(new SipHop("192.0.2.50", 5060, Transport.TCP));
        assertThat(resolver.resolve(SipUri.parse("sip:[2001:db8::5]:5090"), Transport.UDP))
                .isEqualTo(new SipHop("2001:db8::5", 5090, Transport.UDP));
        assertThat(dns.asked).containsExactly("A/AAAA pbx.example");
    }

    @Test
    void aDomainWithNeitherSrvNorAddressIsNamedWithBothLookups() {
        assertThatThrownBy(() -> resolver.resolve(SipUri.parse("sip:x.example"), Transport.UDP))
                .isInstanceOf(SipResolutionException.class)
                .hasMessage("cannot resolve SIP domain 'x.example': no SRV _sip._udp.x.example and no A/AAAA record");
    }

    @Test
    void srvTargetsWithoutAddressesFailInsteadOfFallingBackToTheDomain() {
        dns.srv.put("_sip._udp.x.example", List.of("10 1 5060 a.x.example.", "20 1 5070 b.x.example."));
        dns.hosts.put("x.example", List.of("192.0.2.99")); // RFC 3263: not used once SRV records exist
        assertThatThrownBy(() -> resolver.resolve(SipUri.parse("sip:x.example"), Transport.UDP))
                .isInstanceOf(SipResolutionException.class)
                .hasMessage("cannot resolve SIP domain 'x.example': SRV _sip._udp.x.example names a.x.example:5060, "
                        + "b.x.example:5070, none of which has an A/AAAA record");
    }

    @Test
    void aDotTargetSaysTheServiceIsNotOffered() {
        dns.srv.put("_sip._tcp.x.example", List.of("0 0 0 ."));
        assertThatThrownBy(() -> resolver.resolve(SipUri.parse("sip:x.example"), Transport.TCP))
                .isInstanceOf(SipResolutionException.class)
                .hasMessage("cannot resolve SIP domain 'x.example': SRV _sip._tcp.x.example says the service is not "
                        + "offered there (target '.')");
    }

    @Test
    void aConfiguredDnsServerThatDoesNotAnswerIsNamed() {
        dns.broken = "x.example";
        assertThatThrownBy(() -> resolver.resolve(SipUri.parse("sip:x.example"), Transport.UDP))
                .isInstanceOf(SipResolutionException.class)
                .hasMessage("cannot resolve SIP domain 'x.example': DNS server 192.0.2.53:53 did not answer SRV "
                        + "_sip._udp.x.example: timeout");
    }

    @Test
    void withTheSystemResolverAnUnansweredSrvQueryFallsBackToAddresses() throws Exception {
        dns.broken = "x.example";
        dns.hosts.put("x.example", List.of("192.0.2.61"));
        SipResolver lenient = new SipResolver(dns, false, () -> 0L, tlsPeers);
        assertThat(lenient.resolve(SipUri.parse("sip:x.example"), Transport.UDP))
                .isEqualTo(new SipHop("192.0.2.61", 5060, Transport.UDP));
    }

    @Test
    void aHostWithAPortButNoAddressIsNamed() {
        assertThatThrownBy(() -> resolver.resolve(SipUri.parse("sip:nowhere.example:5060"), Transport.UDP))
                .isInstanceOf(SipResolutionException.class)
                .hasMessage("cannot resolve SIP host 'nowhere.example': DNS server 192.0.2.53:53 has no A/AAAA "
                        + "record for it");
    }

    @Test
    void unusableSrvAnswersAreSkippedAndAllUnusableIsAnError() throws Exception {
        dns.srv.put("_sip._udp.x.example", List.of("garbage", "10 1 5060 a.x.example."));
        dns.hosts.put("a.x.example", List.of("192.0.2.70"));
        assertThat(resolver.resolve(SipUri.parse("sip:x.example"), Transport.UDP).address()).isEqualTo("192.0.2.70");
        dns.srv.put("_sip._udp.y.example", List.of("garbage"));
        assertThatThrownBy(() -> resolver.resolve(SipUri.parse("sip:y.example"), Transport.UDP))
                .isInstanceOf(SipResolutionException.class)
                .hasMessage("cannot resolve SIP domain 'y.example': every SRV _sip._udp.y.example record is "
                        + "unusable: garbage");
    }

    @Test
    void trustsEveryAddressOfEverySrvTargetAsTheProxysSources() throws Exception {
        dns.srv.put("_sip._udp.pbx.test", List.of("10 50 5060 a.pbx.test.", "20 50 5060 b.pbx.test."));
        dns.hosts.put("a.pbx.test", List.of("192.0.2.1", "2001:db8::1"));
        dns.hosts.put("b.pbx.test", List.of("192.0.2.2"));
        assertThat(resolver.sourceAddresses(SipUri.parse("sip:pbx.test"), Transport.UDP))
                .containsExactlyInAnyOrder("192.0.2.1", "2001:db8::1", "192.0.2.2");
        assertThat(tlsPeers.expectedName(InetAddress.getByName("192.0.2.1"), 5060)).isEqualTo("192.0.2.1");
    }

    @Test
    void takesAnIpLiteralProxyAsItsOwnSourceWithoutAskingDns() throws Exception {
        assertThat(resolver.sourceAddresses(SipUri.parse("sip:[2001:db8::9]:5070"), Transport.UDP))
                .containsExactly("2001:db8::9");
        assertThat(dns.asked).isEmpty();
    }

    @Test
    void fallsBackToTheDomainsAddressesWithoutSrvAndFailsWithNone() throws Exception {
        dns.hosts.put("plain.test", List.of("192.0.2.9"));
        assertThat(resolver.sourceAddresses(SipUri.parse("sip:plain.test"), Transport.UDP))
                .containsExactly("192.0.2.9");
        assertThatThrownBy(() -> resolver.sourceAddresses(SipUri.parse("sip:nothing.test:5060"), Transport.UDP))
                .isInstanceOf(SipResolutionException.class).hasMessageContaining("nothing.test");
    }
}

package org.pasarela.dialplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.pasarela.config.DidTarget;
import org.pasarela.config.InboundSettings;
import org.pasarela.config.IpNetwork;
import org.pasarela.config.RegistrationSettings;
import org.pasarela.config.RewriteRule;
import org.pasarela.config.SipProfile;
import org.pasarela.config.SipUri;
import org.pasarela.config.Transport;
import org.pasarela.dialplan.InboundRoute.Refuse;
import org.pasarela.dialplan.InboundRoute.ToGroup;
import org.pasarela.dialplan.InboundRoute.ToUser;

class InboundRouterTest {
    private static final String PROXY_IP = "198.51.100.5";
    private static final String TRUNK_IP = "192.0.2.3";
    private static final String STRANGER = "203.0.113.66";

    private static final SipProfile PBX = SipProfile.builder("pbx", SipUri.parse("sip:pbx.example.org"))
            .registration(new RegistrationSettings("{user}", "pbx.example.org", 600)).build();
    private static final SipProfile TRUNK = SipProfile.builder("trunk", SipUri.parse("sip:trunk.example.net"))
            .inbound(new InboundSettings(List.of(IpNetwork.parse("192.0.2.0/28"), IpNetwork.parse("2001:db8::/32")),
                    dids(), List.of(RewriteRule.of("(?:\\+|00)?34([0-9]{9})", "$1"))))
            .build();
    private static final Map<String, Set<String>> RESOLVED = Map.of("pbx", Set.of(PROXY_IP));

    private final InboundRouter router = new InboundRouter(List.of(PBX, TRUNK),
            Map.of("reception", List.of("bob", "carol")));

    private static Map<String, DidTarget> dids() {
        Map<String, DidTarget> dids = new LinkedHashMap<>();
        dids.put("931234567", new DidTarget.User("alice"));
        dids.put("931234500", new DidTarget.Group("reception"));
        return dids;
    }

    private static InboundInvite invite(String source, String requestUser, Map<String, String> params) {
        return new InboundInvite(source, 5060, Transport.UDP, "sip:" + requestUser + "@192.0.2.200", requestUser,
                params, "sip:" + requestUser + "@example.net", requestUser, "sip:600100200@trunk.example.net",
                "600100200", null, "v=0\r\n");
    }

    private static InboundInvite toRegistration(String source, String user, String profile) {
        return invite(source, "alice", Map.of("pasarela-user", user, "pasarela-profile", profile, "transport", "udp"));
    }

    @Test
    void ringsTheRegisteredUserWhenItsProxySendsTheInvite() {
        assertThat(router.route(toRegistration(PROXY_IP, "alice", "pbx"), RESOLVED))
                .isEqualTo(new ToUser("alice", PBX));
    }

    @Test
    void matchesTheProxyAddressHoweverItIsWritten() {
        InboundInvite fromV6 = toRegistration("2001:db8:0:0::7", "alice", "pbx");
        assertThat(router.route(fromV6, Map.of("pbx", Set.of("2001:db8::7")))).isEqualTo(new ToUser("alice", PBX));
    }

    @Test
    void ringsTheRegisteredUserWhenTheSourceIsInTheProfilesInboundNetworks() {
        SipProfile pbxWithTrunk = PBX.toBuilder().inbound(new InboundSettings(List.of(IpNetwork.parse(TRUNK_IP)),
                Map.of(), List.of())).build();
        InboundRouter r = new InboundRouter(List.of(pbxWithTrunk), Map.of());
        assertThat(r.route(toRegistration(TRUNK_IP, "alice", "pbx"), Map.of())).isEqualTo(
                new ToUser("alice", pbxWithTrunk));
    }

    @Test
    void refusesARegistrationInviteFromAnAddressThatIsNotTheProxy() {
        assertThat(router.route(toRegistration(STRANGER, "alice", "pbx"), RESOLVED))
                .satisfies(InboundRouterTest::isForbidden);
    }

    @Test
    void refusesARegistrationInviteForAProfileThatDoesNotRegisterUsers() {
        assertThat(router.route(toRegistration(PROXY_IP, "alice", "trunk"), Map.of("trunk", Set.of(PROXY_IP))))
                .satisfies(InboundRouterTest::isForbidden);
    }

    @Test
    void refusesARegistrationInviteForADisabledProfile() {
        InboundRouter r = new InboundRouter(List.of(PBX.toBuilder().enabled(false).build()), Map.of());
        assertThat(r.route(toRegistration(PROXY_IP, "alice", "pbx"), RESOLVED)).satisfies(InboundRouterTest::isForbidden);
    }

    @Test
    void givesStrangersTheSameRefusalWhateverTheyName() {
        List<InboundInvite> probes = List.of(
                toRegistration(STRANGER, "alice", "pbx"),
                toRegistration(STRANGER, "nobody", "pbx"),
                toRegistration(STRANGER, "alice", "no-such-profile"),
                invite(STRANGER, "931234567", Map.of()),
                invite(STRANGER, "999999999", Map.of()),
                invite(STRANGER, "alice", Map.of()));
        for (InboundInvite probe : probes) {
            Refuse refusal = (Refuse) router.route(probe, RESOLVED);
            assertThat(refusal.code()).as(probe.requestUri()).isEqualTo(403);
            assertThat(refusal.reason()).as(probe.requestUri()).isEqualTo("Forbidden");
            assertThat(refusal.forbidden()).isTrue();
        }
    }

    @Test
    void routesATrunkDidToItsUserAfterTheInboundRewrite() {
        assertThat(router.route(invite(TRUNK_IP, "+34931234567", Map.of()), RESOLVED))
                .isEqualTo(new ToUser("alice", TRUNK));
        assertThat(router.route(invite(TRUNK_IP, "0034 931 234 567", Map.of()), RESOLVED))
                .isEqualTo(new ToUser("alice", TRUNK));
    }

    @Test
    void routesATrunkDidToEveryMemberOfItsGroup() {
        assertThat(router.route(invite("2001:db8:1::9", "931234500", Map.of()), RESOLVED))
                .isEqualTo(new ToGroup("reception", List.of("bob", "carol"), TRUNK));
    }

    @Test
    void answersNotFoundForAnUnknownDidFromATrustedTrunk() {
        Refuse refusal = (Refuse) router.route(invite(TRUNK_IP, "931000000", Map.of()), RESOLVED);
        assertThat(refusal.code()).isEqualTo(404);
        assertThat(refusal.reason()).isEqualTo("Not Found");
        assertThat(refusal.detail()).contains("931000000");
    }

    @Test
    void ignoresTheInboundNetworksOfADisabledProfile() {
        InboundRouter r = new InboundRouter(List.of(TRUNK.toBuilder().enabled(false).build()), Map.of());
        assertThat(r.route(invite(TRUNK_IP, "931234567", Map.of()), RESOLVED)).satisfies(InboundRouterTest::isForbidden);
    }

    @Test
    void fallsBackToTheDidMapWhenRegistrationParametersComeFromATrunk() {
        InboundInvite invite = new InboundInvite(TRUNK_IP, 5060, Transport.UDP,
                "sip:931234567@gw;pasarela-user=mallory;pasarela-profile=pbx", "931234567",
                Map.of("pasarela-user", "mallory", "pasarela-profile", "pbx"), "sip:931234567@gw", "931234567",
                "sip:x@trunk", "x", null, null);
        assertThat(router.route(invite, RESOLVED)).isEqualTo(new ToUser("alice", TRUNK));
    }

    @Test
    void refusesAnInviteWithoutAnyRequestUser() {
        assertThat(((Refuse) router.route(invite(TRUNK_IP, null, Map.of()), RESOLVED)).code()).isEqualTo(404);
        assertThat(router.route(invite(STRANGER, null, Map.of()), RESOLVED)).satisfies(InboundRouterTest::isForbidden);
    }

    @Test
    void explainsARefusalForTheLogWithoutPuttingItOnTheWire() {
        Refuse refusal = (Refuse) router.route(toRegistration(STRANGER, "alice", "pbx"), RESOLVED);
        assertThat(refusal.detail()).contains(STRANGER, "pbx");
        assertThat(refusal.reason()).doesNotContain("pbx", "alice");
    }

    @Test
    void refusesAGroupWithoutMembersAsABrokenInvariant() {
        InboundRouter r = new InboundRouter(List.of(TRUNK), Map.of());
        assertThatThrownBy(() -> r.route(invite(TRUNK_IP, "931234500", Map.of()), RESOLVED))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("reception");
    }

    private static void isForbidden(InboundRoute route) {
        assertThat(route).isInstanceOf(Refuse.class);
        assertThat(((Refuse) route).code()).isEqualTo(403);
        assertThat(((Refuse) route).reason()).isEqualTo("Forbidden");
    }
}

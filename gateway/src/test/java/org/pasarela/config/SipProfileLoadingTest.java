package org.pasarela.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SipProfileLoadingTest {
    @TempDir
    Path root;
    ConfigFixture fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigFixture(root);
    }

    private SipProfile trunk(String... lines) {
        return fx.profile("trunk", lines).load().profiles().get("trunk");
    }

    private void assertTrunkRefused(String expectedSuffix, String... lines) {
        fx.profile("trunk", lines);
        assertThatThrownBy(fx::load).isInstanceOf(ConfigException.class)
                .hasMessage(fx.profileFile("trunk") + expectedSuffix);
    }

    @Test
    void appliesDefaultsToAProfileThatOnlyNamesItsProxy() {
        SipProfile p = trunk("proxy = sip:trunk.example.net");
        assertThat(p.name()).isEqualTo("trunk");
        assertThat(p.enabled()).isTrue();
        assertThat(p.transport()).isEqualTo(Transport.UDP);
        assertThat(p.domain()).isEqualTo("trunk.example.net");
        assertThat(p.credentials()).isEmpty();
        assertThat(p.fromUser()).isEqualTo("{user}");
        assertThat(p.fromUserFor("alice")).isEqualTo("alice");
        assertThat(p.fromDisplayName()).isEmpty();
        assertThat(p.codecs()).containsExactly("PCMU", "PCMA", "telephone-event");
        assertThat(p.dtmf()).isEqualTo(DtmfMode.RFC4733);
        assertThat(p.rewrites()).isEmpty();
        assertThat(p.allowSipUris()).isFalse();
        assertThat(p.noAnswerTimeout()).isEmpty();
    }

    @Test
    void readsEveryProfileKey() {
        SipProfile p = trunk(
                "name = trunk",
                "enabled = true",
                "proxy = sip:192.0.2.10:5070",
                "transport = tcp",
                "domain = example.net",
                "auth.username = 3493",
                "auth.password = s3cret",
                "auth.realm = example.net",
                "from.user = gw-{user}",
                "from.display-name = Front desk",
                "codecs = pcma, OPUS, Telephone-Event",
                "dtmf = INFO",
                "rewrite.2.match = 00([0-9]+)",
                "rewrite.2.replace = +$1",
                "rewrite.10.match = (.*)",
                "rewrite.10.replace = x$1",
                "allow.sip-uris = true",
                "call.no-answer-timeout = 45s");
        assertThat(p.proxy()).isEqualTo(SipUri.of("sip", null, "192.0.2.10", OptionalInt.of(5070)));
        assertThat(p.transport()).isEqualTo(Transport.TCP);
        assertThat(p.domain()).isEqualTo("example.net");
        assertThat(p.credentials()).contains(new Credentials("3493", "s3cret", Optional.of("example.net")));
        assertThat(p.fromUserFor("bob")).isEqualTo("gw-bob");
        assertThat(p.fromDisplayName()).contains("Front desk");
        assertThat(p.codecs()).containsExactly("PCMA", "opus", "telephone-event");
        assertThat(p.dtmf()).isEqualTo(DtmfMode.INFO);
        assertThat(p.rewrites()).containsExactly(RewriteRule.of("00([0-9]+)", "+$1"), RewriteRule.of("(.*)", "x$1"));
        assertThat(p.allowSipUris()).isTrue();
        assertThat(p.noAnswerTimeout()).contains(Duration.ofSeconds(45));
    }

    @Test
    void keepsRegexBackslashesAsWritten() {
        SipProfile p = trunk("proxy = sip:t.example", "rewrite.1.match = \\+?(\\d+)", "rewrite.1.replace = $1");
        assertThat(p.rewrites().get(0).match().pattern()).isEqualTo("\\+?(\\d+)");
    }

    @Test
    void addsTelephoneEventWhenDtmfIsRfc4733() {
        assertThat(trunk("proxy = sip:t.example", "codecs = PCMA").codecs()).containsExactly("PCMA",
                "telephone-event");
        assertThat(trunk("proxy = sip:t.example", "codecs = PCMA", "dtmf = none").codecs()).containsExactly("PCMA");
    }

    @Test
    void usesTlsForSipsProxy() {
        assertThat(trunk("proxy = sips:trunk.example.net", "enabled = false").transport()).isEqualTo(Transport.TLS);
    }

    @Test
    void takesTransportFromTheProxyUriParameter() {
        assertThat(trunk("proxy = sip:trunk.example.net;transport=tcp").transport()).isEqualTo(Transport.TCP);
    }

    @Test
    void hidesThePasswordWhenPrinted() {
        SipProfile p = trunk("proxy = sip:t.example", "auth.username = u", "auth.password = hunter2");
        assertThat(p.toString()).contains("password=***").doesNotContain("hunter2");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "transport = SCTP | : transport = 'SCTP': expected UDP, TCP or TLS",
            "enabled = maybe | : enabled = 'maybe': expected true or false",
            "dtmf = inband | : dtmf = 'inband': expected rfc4733, info or none",
            "codecs = PCMU,AMR | : codecs = 'PCMU,AMR': unknown codec 'AMR': expected a comma-separated list of opus, "
                    + "G722, PCMU, PCMA, G729, GSM, iLBC, telephone-event",
            "codecs = PCMU,pcmu | : codecs = 'PCMU,pcmu': lists PCMU twice",
            "codecs = telephone-event | : codecs = 'telephone-event': expected at least one audio codec besides "
                    + "telephone-event",
            "codecs = | : codecs = '': expected a comma-separated list of opus, G722, PCMU, PCMA, G729, GSM, iLBC, "
                    + "telephone-event",
            "domain = bad_domain | : domain = 'bad_domain': expected a SIP domain such as example.net "
                    + "('bad_domain' is not a valid hostname (bad label 'bad_domain'))",
            "allow.sip-uris = 1 | : allow.sip-uris = '1': expected true or false",
            "call.no-answer-timeout = 3 days | : call.no-answer-timeout = '3 days': expected a duration between 1ms "
                    + "and 24h such as 90s, 2m, 500ms or plain seconds",
            "from.user = {login} | : from.user = '{login}': unknown placeholder; only {user} is supported",
            "from.user = a b | : from.user = 'a b': expected a SIP user name or {user} (user part 'a b' contains ' ', "
                    + "which must be %-escaped)",
            "name = other | : name = 'other': expected 'trunk', the profile's file name, or no name key at all",
            "codex = PCMU | : codex = 'PCMU': unknown key; did you mean 'codecs'?",
            "rewrite.1.matches = x | : rewrite.1.matches = 'x': unknown key; rules are rewrite.N.match and "
                    + "rewrite.N.replace, N a whole number without leading zeros",
            "rewrite.01.match = x | : rewrite.01.match = 'x': unknown key; rules are rewrite.N.match and "
                    + "rewrite.N.replace, N a whole number without leading zeros",
    })
    void refusesBadProfileValueNamingFileKeyValueAndExpectation(String line, String expectedSuffix) {
        assertTrunkRefused(expectedSuffix, "proxy = sip:trunk.example.net", line);
    }

    @Test
    void refusesProfileWithoutProxy() {
        assertTrunkRefused(": proxy is missing: expected a SIP URI such as sip:trunk.example.net or "
                + "sip:192.0.2.10:5060", "transport = UDP");
    }

    @Test
    void refusesMalformedProxySayingWhy() {
        assertTrunkRefused(": proxy = 'trunk.example.net': expected a SIP URI such as sip:trunk.example.net or "
                + "sip:192.0.2.10:5060 ('trunk.example.net' does not start with sip: or sips:)",
                "proxy = trunk.example.net");
    }

    @Test
    void refusesNonTlsTransportForSipsProxy() {
        assertTrunkRefused(": transport = 'UDP': expected TLS, because the proxy sips:t.example is a sips: URI",
                "proxy = sips:t.example", "transport = UDP");
    }

    @Test
    void refusesTransportContradictingTheProxyParameter() {
        assertTrunkRefused(": transport = 'UDP': expected TCP, as the proxy's ;transport= parameter says",
                "proxy = sip:t.example;transport=tcp", "transport = UDP");
    }

    @Test
    void refusesEnabledProfileWhoseTransportTheGatewayDoesNotListenOn() {
        assertTrunkRefused(": proxy = 'sips:t.example': needs TLS, but the gateway listens only on "
                + "sip.transports = udp,tcp", "proxy = sips:t.example");
    }

    @Test
    void acceptsDisabledProfileWhoseTransportTheGatewayDoesNotListenOn() {
        assertThat(trunk("proxy = sips:t.example", "enabled = false").enabled()).isFalse();
    }

    @Test
    void refusesUsernameWithoutPassword() {
        assertTrunkRefused(": auth.password is missing: auth.username is set, so auth.password must be too",
                "proxy = sip:t.example", "auth.username = u");
    }

    @Test
    void refusesPasswordWithoutUsername() {
        assertTrunkRefused(": auth.username is missing: auth.password is set, so auth.username must be too",
                "proxy = sip:t.example", "auth.password = p");
    }

    @Test
    void refusesRealmWithoutCredentials() {
        assertTrunkRefused(": auth.realm = 'example.net': expected auth.username and auth.password as well",
                "proxy = sip:t.example", "auth.realm = example.net");
    }

    @Test
    void refusesRewriteMatchWithoutReplacement() {
        assertTrunkRefused(": rewrite.3.replace is missing: rewrite.3.match needs a replacement",
                "proxy = sip:t.example", "rewrite.3.match = 0(.*)");
    }

    @Test
    void refusesRewriteReplacementWithoutMatch() {
        assertTrunkRefused(": rewrite.3.match is missing: rewrite.3.replace needs a match regex",
                "proxy = sip:t.example", "rewrite.3.replace = $1");
    }

    @Test
    void refusesInvalidRewriteRegex() {
        assertTrunkRefused(": rewrite.1.match = '0([0-9]+': expected a Java regular expression (Unclosed group "
                + "near index 8)", "proxy = sip:t.example", "rewrite.1.match = 0([0-9]+", "rewrite.1.replace = $1");
    }

    @Test
    void refusesReplacementReferringToAMissingGroup() {
        assertTrunkRefused(": rewrite.1.replace = '+34$2': expected a replacement for '0([0-9]+)'; this one refers "
                + "to group $2 but the match regex has only 1 group",
                "proxy = sip:t.example", "rewrite.1.match = 0([0-9]+)", "rewrite.1.replace = +34$2");
    }

    @Test
    void refusesEmptyRewriteReplacement() {
        assertTrunkRefused(": rewrite.1.replace = '': expected a replacement such as +34$1",
                "proxy = sip:t.example", "rewrite.1.match = 0([0-9]+)", "rewrite.1.replace =");
    }

    @Test
    void refusesProfileFileNameThatCannotBeAProfileName() {
        fx.profile("my.trunk", "proxy = sip:t.example");
        assertThatThrownBy(fx::load).hasMessage(fx.profileFile("my.trunk") + ": profile name 'my.trunk' (the file "
                + "name) must match [A-Za-z0-9_-]{1,64}");
    }

    @Test
    void ignoresFilesThatAreNotProperties() {
        ConfigFixture.write(fx.profiles.resolve("README.md"), "# notes");
        ConfigFixture.write(fx.profiles.resolve("trunk.properties.bak"), "garbage");
        assertThat(fx.load().profiles()).containsOnlyKeys("echo");
    }

    @Test
    void keepsProfilesSortedByName() {
        fx.profile("zeta", "proxy = sip:z.example").profile("alpha", "proxy = sip:a.example");
        assertThat(fx.load().profiles().keySet()).containsExactly("alpha", "echo", "zeta");
    }

    @Test
    void overridesAProfileKeyFromTheCommandLine() {
        fx.profile("trunk", "proxy = sip:t.example", "codecs = PCMU");
        SipProfile p = fx.load("profile.trunk.codecs=PCMA,telephone-event").profiles().get("trunk");
        assertThat(p.codecs()).containsExactly("PCMA", "telephone-event");
    }

    @Test
    void overridesTheBuiltInEchoProfile() {
        SipProfile echo = fx.load("profile.echo.codecs=PCMA").profiles().get("echo");
        assertThat(echo.codecs()).containsExactly("PCMA", "telephone-event");
        assertThat(echo.proxy()).hasToString("sip:echo@127.0.0.1:5098");
    }

    @Test
    void enablesAShippedDisabledProfileFromTheCommandLine() {
        fx.profile("ata", "enabled = false", "proxy = sip:192.168.1.50");
        assertThat(fx.load("profile.ata.enabled=true").enabledProfile("ata")).isPresent();
    }

    @Test
    void definesANewProfileFromTheCommandLine() {
        LoadedConfig config = fx.load("profile.sipp.proxy=sip:127.0.0.1:5070", "profile.sipp.codecs=PCMU",
                "profile.default=sipp");
        SipProfile sipp = config.profiles().get("sipp");
        assertThat(sipp.proxy()).isEqualTo(SipUri.of("sip", null, "127.0.0.1", OptionalInt.of(5070)));
        assertThat(sipp.codecs()).containsExactly("PCMU", "telephone-event");
        assertThat(sipp.enabled()).isTrue();
        assertThat(config.defaultProfile()).contains(sipp);
    }

    @Test
    void refusesNewCommandLineProfileWithoutProxy() {
        assertThatThrownBy(() -> fx.load("profile.sipp.codecs=PCMU"))
                .hasMessage("--set profile.sipp: proxy is missing: expected a SIP URI such as sip:trunk.example.net "
                        + "or sip:192.0.2.10:5060");
    }

    @Test
    void namesTheCommandLineWhenAProfileOverrideIsBad() {
        fx.profile("trunk", "proxy = sip:t.example");
        assertThatThrownBy(() -> fx.load("profile.trunk.transport=SCTP"))
                .hasMessage("--set profile.trunk.transport = 'SCTP': expected UDP, TCP or TLS");
    }

    @Test
    void refusesOverrideWithABadProfileName() {
        assertThatThrownBy(() -> fx.load("profile.a b.proxy=sip:t.example"))
                .hasMessage("--set profile.a b.proxy: profile name 'a b' must match [A-Za-z0-9_-]{1,64}");
    }

    @Test
    void prefersAnEchoProfileFileOverTheBuiltInOne() {
        fx.profile("echo", "proxy = sip:echo.example.org");
        assertThat(fx.load().profiles().get("echo").proxy()).hasToString("sip:echo.example.org");
    }

    @Test
    void hasNoDefaultProfileWhenEchoIsDisabledAndNoProfileIsEnabled() {
        fx.profile("ata", "enabled = false", "proxy = sip:192.168.1.50");
        LoadedConfig config = fx.load("echo.enabled=false");
        assertThat(config.defaultProfile()).isEmpty();
        assertThat(config.profiles()).containsOnlyKeys("ata");
    }

    @Test
    void hasNoDefaultProfileWhenEchoIsDisabledAndNoDefaultIsSet() {
        fx.profile("trunk", "proxy = sip:t.example");
        LoadedConfig config = fx.load("echo.enabled=false");
        assertThat(config.defaultProfile()).isEmpty();
        assertThat(config.profiles()).containsOnlyKeys("trunk");
    }

    @Test
    void refusesAnExplicitDefaultThatIsTheDisabledEcho() {
        fx.profile("trunk", "proxy = sip:t.example");
        assertThatThrownBy(() -> fx.load("echo.enabled=false", "profile.default=echo"))
                .hasMessage("--set profile.default = 'echo': expected the name of an existing profile; 'echo' "
                        + "does not exist (echo.enabled = false); known: trunk");
    }

    @Test
    void refusesExplicitDefaultProfileThatDoesNotExist() {
        assertThatThrownBy(() -> fx.load("profile.default=trunk"))
                .hasMessage("--set profile.default = 'trunk': expected the name of an existing profile; 'trunk' does "
                        + "not exist; known: echo");
    }

    @Test
    void refusesDisabledDefaultProfile() {
        fx.profile("trunk", "enabled = false", "proxy = sip:t.example");
        assertThatThrownBy(() -> fx.load("profile.default=trunk"))
                .hasMessage("--set profile.default = 'trunk': expected an enabled profile; 'trunk' has enabled = "
                        + "false");
    }

    @Test
    void buildsProfilesInCodeWithTheSameDefaults() {
        SipProfile built = SipProfile.builder("trunk", SipUri.parse("sip:trunk.example.net")).build();
        assertThat(built).isEqualTo(trunk("proxy = sip:trunk.example.net"));
        assertThat(built.toBuilder().codecs(List.of("G722")).build().codecs())
                .containsExactly("G722", "telephone-event");
    }
}

package org.pasarela.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files shipped in etc/ and sip-profiles/ (paths relative to the gateway module) load and stay in sync. */
class ShippedConfigTest {
    static final Path ETC = Path.of("../etc");
    static final Path PROFILES = Path.of("../sip-profiles");

    @Test
    void shippedConfigurationLoadsAndEqualsTheEmbeddedDefaults() {
        LoadedConfig config = ConfigLoader.load(ETC, PROFILES, Map.of());
        assertThat(config.gateway()).isEqualTo(GatewayConfig.defaults());
        assertThat(config.profiles()).containsOnlyKeys("echo", "guifi-community", "local-ata", "pstn-trunk");
        assertThat(config.defaultProfile()).map(SipProfile::name).contains("echo");
    }

    @Test
    void shipsEverySampleProfileDisabled() {
        LoadedConfig config = ConfigLoader.load(ETC, PROFILES, Map.of());
        assertThat(config.profiles().values()).filteredOn(p -> !p.name().equals("echo"))
                .allSatisfy(p -> assertThat(p.enabled()).as(p.name()).isFalse());
    }

    @Test
    void samplesAreValidOnceEnabled(@TempDir Path tmp) throws IOException {
        Path crt = Files.writeString(tmp.resolve("sip.crt"), "placeholder");
        LoadedConfig config = ConfigLoader.load(ETC, PROFILES, Map.of(
                "sip.transports", "udp,tcp,tls", "tls.certificate", crt.toString(), "tls.key", crt.toString(),
                "profile.pstn-trunk.enabled", "true",
                "profile.guifi-community.enabled", "true",
                "profile.local-ata.enabled", "true"));
        SipProfile trunk = config.enabledProfile("pstn-trunk").orElseThrow();
        assertThat(trunk.transport()).isEqualTo(Transport.TLS);
        assertThat(trunk.credentials()).isPresent();
        assertThat(trunk.rewrites()).hasSize(4);
        assertThat(trunk.inbound().networks()).hasSize(2);
        assertThat(new org.pasarela.dialplan.NumberRewriter(trunk.inbound().rewrites()).rewrite("+34931234567"))
                .isEqualTo("931234567");
        SipProfile guifi = config.enabledProfile("guifi-community").orElseThrow();
        assertThat(guifi.transport()).isEqualTo(Transport.UDP);
        assertThat(guifi.proxy().port()).isEmpty();
        assertThat(guifi.allowSipUris()).isTrue();
        SipProfile ata = config.enabledProfile("local-ata").orElseThrow();
        assertThat(ata.codecs()).containsExactly("PCMU", "PCMA", "telephone-event");
        assertThat(ata.dtmf()).isEqualTo(DtmfMode.RFC4733);
    }

    @Test
    void referenceFileSetsEveryKeyToItsEmbeddedDefault() throws IOException {
        Properties reference = new Properties();
        try (Reader in = Files.newBufferedReader(ETC.resolve("pasarela.properties"), StandardCharsets.UTF_8)) {
            reference.load(in);
        }
        GatewayConfigReader.DEFAULTS.forEach((key, value) ->
                assertThat(reference.getProperty(key)).as("%s in etc/pasarela.properties", key).isEqualTo(value));
        assertThat(reference.stringPropertyNames()).as("keys in etc/pasarela.properties")
                .allMatch(k -> GatewayConfigReader.DEFAULTS.containsKey(k) || k.startsWith("users."));
    }

    @Test
    void pstnTrunkSampleDocumentsEveryProfileKey() throws IOException {
        String sample = Files.readString(PROFILES.resolve("pstn-trunk.properties"));
        for (String key : SipProfileReader.KEYS) {
            if (key.equals("inbound.did.NUMBER")) {
                // DIDs ring real users: the sample shows them commented out, so no placeholder user is rung.
                assertThat(sample).as(key).containsPattern("(?m)^#inbound\\.did\\.[0-9]+ = \\w+");
                assertThat(sample).as(key).containsPattern("(?m)^#inbound\\.did\\.[0-9]+ = group:\\w+");
                continue;
            }
            String spelledInFile = key.replace("rewrite.N.", "rewrite.1.");
            assertThat(sample).as(key).containsPattern("(?m)^" + java.util.regex.Pattern.quote(spelledInFile)
                    + " = ");
        }
    }

    @Test
    void configurationGuideNamesTheReferenceAndEverySample() throws IOException {
        String guide = Files.readString(Path.of("../docs/configuration.md"));
        assertThat(guide).contains("etc/pasarela.properties", "sip-profiles/pstn-trunk.properties",
                "sip-profiles/guifi-community.properties", "sip-profiles/local-ata.properties", "--set");
    }
}

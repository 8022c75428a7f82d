package org.pasarela.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpsCertificateTest {
    static final Path VECTORS = Path.of("src/test/resources/vectors/tls");
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final List<String> HOSTS = List.of("localhost", "127.0.0.1", "::1");
    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path data;

    @Test
    void makesASelfSignedP256CertificateForTheConfiguredNamesAndKeepsItInTheDataDirectory() throws Exception {
        HttpsCertificate made = HttpsCertificate.selfSigned(data, HOSTS, random, NOW);
        assertThat(made.origin()).isEqualTo(HttpsCertificate.Origin.GENERATED);
        assertThat(made.certificate().getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) made.certificate().getPublicKey()).getParams().getCurve().getField().getFieldSize())
                .isEqualTo(256);
        assertThat(made.certificate().getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(made.names()).containsExactlyInAnyOrder("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(made.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(made.certificate().getNotAfter().toInstant()).isEqualTo(NOW.plus(HttpsCertificate.VALIDITY));
        assertThat(made.fingerprintSha256()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(made.certificateFile()).isEqualTo(data.resolve(HttpsCertificate.CERTIFICATE_FILE));
        assertThat(Files.readString(data.resolve(HttpsCertificate.CERTIFICATE_FILE)))
                .startsWith("-----BEGIN CERTIFICATE-----");
        Path key = data.resolve(HttpsCertificate.KEY_FILE);
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }

    @Test
    void reusesTheKeptCertificateOnTheNextStart() throws Exception {
        HttpsCertificate first = HttpsCertificate.selfSigned(data, HOSTS, random, NOW);
        HttpsCertificate second = HttpsCertificate.selfSigned(data, List.of("LOCALHOST", "127.0.0.1",
                "0:0:0:0:0:0:0:1"), random, NOW.plus(Duration.ofDays(100)));
        assertThat(second.origin()).isEqualTo(HttpsCertificate.Origin.REUSED);
        assertThat(second.fingerprintSha256()).isEqualTo(first.fingerprintSha256());
    }

    @Test
    void makesANewCertificateWhenTheHostnamesChange() throws Exception {
        HttpsCertificate first = HttpsCertificate.selfSigned(data, HOSTS, random, NOW);
        HttpsCertificate second = HttpsCertificate.selfSigned(data, List.of("phone.example.org", "192.0.2.10"),
                random, NOW);
        assertThat(second.origin()).isEqualTo(HttpsCertificate.Origin.GENERATED);
        assertThat(second.fingerprintSha256()).isNotEqualTo(first.fingerprintSha256());
        assertThat(second.names()).containsExactly("phone.example.org", "192.0.2.10");
        assertThat(second.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=phone.example.org");
    }

    @Test
    void makesANewCertificateWhenTheKeptOneExpiresWithinThirtyDays() throws Exception {
        HttpsCertificate first = HttpsCertificate.selfSigned(data, HOSTS, random, NOW);
        Instant later = NOW.plus(HttpsCertificate.VALIDITY).minus(Duration.ofDays(29));
        HttpsCertificate renewed = HttpsCertificate.selfSigned(data, HOSTS, random, later);
        assertThat(renewed.origin()).isEqualTo(HttpsCertificate.Origin.GENERATED);
        assertThat(renewed.fingerprintSha256()).isNotEqualTo(first.fingerprintSha256());
    }

    @Test
    void refusesADamagedKeptKeyNamingItAndHowToGetANewOne() throws Exception {
        HttpsCertificate.selfSigned(data, HOSTS, random, NOW);
        Path key = data.resolve(HttpsCertificate.KEY_FILE);
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> HttpsCertificate.selfSigned(data, HOSTS, random, NOW))
                .isInstanceOf(HttpsCertificateException.class)
                .hasMessageStartingWith(key + ": ")
                .hasMessageContaining("delete " + data.resolve(HttpsCertificate.CERTIFICATE_FILE) + " and " + key);
    }

    @Test
    void createsAMissingDataDirectory() throws Exception {
        Path nested = data.resolve("a/b");
        HttpsCertificate.selfSigned(nested, HOSTS, random, NOW);
        assertThat(nested.resolve(HttpsCertificate.CERTIFICATE_FILE)).isRegularFile();
    }

    @Test
    void readsAnOperatorsChainAndPkcs8Key() throws Exception {
        HttpsCertificate given = HttpsCertificate.fromPem(VECTORS.resolve("web-rsa-chain.crt"),
                VECTORS.resolve("web-rsa.key"));
        assertThat(given.origin()).isEqualTo(HttpsCertificate.Origin.CONFIGURED);
        assertThat(given.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(given.certificateFile()).isEqualTo(VECTORS.resolve("web-rsa-chain.crt"));
    }

    @Test
    void refusesAKeyThatDoesNotBelongToTheCertificateNamingBothFiles() {
        Path crt = VECTORS.resolve("web-rsa.crt");
        Path key = VECTORS.resolve("other-ec.key");
        assertThatThrownBy(() -> HttpsCertificate.fromPem(crt, key))
                .isInstanceOf(HttpsCertificateException.class)
                .hasMessage(key + ": this private key does not belong to the first certificate of " + crt
                        + " (CN=localhost)");
    }

    @Test
    void refusesACertificateFileWithoutACertificate() {
        Path key = VECTORS.resolve("web-rsa.key");
        assertThatThrownBy(() -> HttpsCertificate.fromPem(key, key))
                .isInstanceOf(HttpsCertificateException.class)
                .hasMessage(key + ": contains a private key; certificates and keys go in separate files "
                        + "(https.certificate, https.key)");
    }

    @Test
    void refusesTextThatIsNotPem() throws Exception {
        Path crt = Files.writeString(data.resolve("web.crt"), "-----BEGIN CERTIFICATE-----\nAAAA\n");
        assertThatThrownBy(() -> HttpsCertificate.fromPem(crt, VECTORS.resolve("web-rsa.key")))
                .isInstanceOf(HttpsCertificateException.class)
                .hasMessageStartingWith(crt + ": not valid PEM: ");
    }

    @Test
    void refusesAnEmptyCertificateFile() throws Exception {
        Path crt = Files.writeString(data.resolve("web.crt"), "");
        assertThatThrownBy(() -> HttpsCertificate.fromPem(crt, VECTORS.resolve("web-rsa.key")))
                .isInstanceOf(HttpsCertificateException.class)
                .hasMessage(crt + ": no CERTIFICATE block: expected the gateway's certificate chain in PEM, leaf first");
    }
}

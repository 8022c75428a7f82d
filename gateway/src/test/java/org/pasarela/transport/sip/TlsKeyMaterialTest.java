package org.pasarela.transport.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsKeyMaterialTest {
    private static TestPki.Issued ca;
    private static TestPki.Issued ecLeaf;
    private static TestPki.Issued rsaLeaf;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.ca("test-ca");
        ecLeaf = TestPki.leaf("gateway", ca, TestPki.ecKeys(), List.of("IP:127.0.0.1"));
        rsaLeaf = TestPki.leaf("gateway-rsa", ca, TestPki.rsaKeys(), List.of("DNS:sip.example.net"));
    }

    @Test
    void readsAPkcs8EcKeyWithItsChainLeafFirst() throws Exception {
        String chain = ecLeaf.certificatePem() + ca.certificatePem();
        KeyStore store = TlsKeyMaterial.identity(chain, "sip.crt", ecLeaf.pkcs8KeyPem(), "sip.key");
        assertThat(ecLeaf.pkcs8KeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(store.getKey(TlsKeyMaterial.ALIAS, TlsKeyMaterial.PASSWORD)).isEqualTo(ecLeaf.keys().getPrivate());
        Certificate[] stored = store.getCertificateChain(TlsKeyMaterial.ALIAS);
        assertThat(stored).containsExactly(ecLeaf.certificate(), ca.certificate());
    }

    @Test
    void readsTraditionalEcAndRsaKeys() throws Exception {
        assertThat(ecLeaf.traditionalKeyPem()).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(rsaLeaf.traditionalKeyPem()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        KeyStore ec = TlsKeyMaterial.identity(ecLeaf.certificatePem(), "a.crt", ecLeaf.traditionalKeyPem(), "a.key");
        KeyStore rsa = TlsKeyMaterial.identity(rsaLeaf.certificatePem(), "b.crt", rsaLeaf.traditionalKeyPem(), "b.key");
        assertThat(ec.getKey(TlsKeyMaterial.ALIAS, TlsKeyMaterial.PASSWORD).getAlgorithm()).isEqualTo("EC");
        assertThat(rsa.getKey(TlsKeyMaterial.ALIAS, TlsKeyMaterial.PASSWORD).getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void refusesAKeyThatIsNotTheLeafCertificates() {
        assertThatThrownBy(() -> TlsKeyMaterial.identity(ecLeaf.certificatePem(), "sip.crt", rsaLeaf.pkcs8KeyPem(),
                "sip.key"))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessage("sip.key: this private key does not belong to the first certificate of sip.crt (CN=gateway)");
    }

    @Test
    void refusesFilesWithoutWhatTheirKeySays() {
        assertThatThrownBy(() -> TlsKeyMaterial.identity(ecLeaf.pkcs8KeyPem(), "sip.crt", ecLeaf.pkcs8KeyPem(),
                "sip.key"))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageContaining("sip.crt: contains a private key; certificates and keys go in separate files");
        assertThatThrownBy(() -> TlsKeyMaterial.identity(ecLeaf.certificatePem(), "sip.crt",
                ecLeaf.certificatePem(), "sip.key"))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageStartingWith("sip.key: no private key: expected a PEM block BEGIN PRIVATE KEY");
        assertThatThrownBy(() -> TlsKeyMaterial.identity("not pem at all", "sip.crt", ecLeaf.pkcs8KeyPem(),
                "sip.key"))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageStartingWith("sip.crt: no CERTIFICATE block");
        assertThatThrownBy(() -> TlsKeyMaterial.trustAnchors("", "ca.pem"))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessage("ca.pem: no CERTIFICATE block: expected CA certificates in PEM");
    }

    @Test
    void refusesAnEncryptedKeyWithAHowTo() throws Exception {
        String encrypted = TestPki.pem(new org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator(
                ecLeaf.keys().getPrivate(),
                new org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder("AES-128-CBC")
                        .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                        .build("pw".toCharArray())));
        assertThatThrownBy(() -> TlsKeyMaterial.identity(ecLeaf.certificatePem(), "sip.crt", encrypted, "sip.key"))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageStartingWith("sip.key: the private key is encrypted; the gateway needs it unencrypted");
    }

    @Test
    void aBundleBecomesOneTrustAnchorPerCertificate() throws Exception {
        TestPki.Issued other = TestPki.ca("other-ca");
        KeyStore anchors = TlsKeyMaterial.trustAnchors(ca.certificatePem() + other.certificatePem(), "ca.pem");
        assertThat(anchors.size()).isEqualTo(2);
        assertThat(anchors.isCertificateEntry("ca-0")).isTrue();
        assertThat(anchors.getCertificate("ca-1")).isEqualTo(other.certificate());
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.crt");
        assertThatThrownBy(() -> TlsKeyMaterial.identity(missing, missing))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageStartingWith(missing + ": cannot read");
        assertThat(Files.exists(missing)).isFalse();
    }
}

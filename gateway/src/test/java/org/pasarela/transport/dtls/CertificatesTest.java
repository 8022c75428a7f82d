package org.pasarela.transport.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CertificatesTest {
    @Test
    void makesSelfSignedP256CertificateWithRfc8122Fingerprint() throws Exception {
        Instant now = Instant.parse("2026-11-21T00:00:00Z");
        DtlsCertificate cert = Certificates.generateEcdsaP256(new SecureRandom(), now);
        assertThat(cert.certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(cert.certificate().getSigAlgName()).isEqualToIgnoringCase("SHA256withECDSA");
        cert.certificate().verify(cert.keyPair().getPublic());
        cert.certificate().checkValidity(java.util.Date.from(now));
        assertThat(cert.fingerprintSha256()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }

    @Test
    void everyStartGetsADifferentIdentity() {
        Instant now = Instant.now();
        assertThat(Certificates.generateEcdsaP256(new SecureRandom(), now).fingerprintSha256())
                .isNotEqualTo(Certificates.generateEcdsaP256(new SecureRandom(), now).fingerprintSha256());
    }
}

package org.pasarela.transport.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FingerprintTest {
    @Test
    void parsesAndWritesTheRfc8122Form() {
        Fingerprint f = Fingerprint.parse("SHA-256 0a:FF:10");
        assertThat(f.hashFunction()).isEqualTo("sha-256");
        assertThat(f.digest()).containsExactly(0x0a, 0xff, 0x10);
        assertThat(f).hasToString("sha-256 0A:FF:10");
        assertThat(Fingerprint.parse(f.toString())).isEqualTo(f);
    }

    @Test
    void matchesWhatCertificatesPutInTheSdp() throws Exception {
        DtlsCertificate cert = DtlsLink.SERVER_CERT;
        assertThat(Fingerprint.of("sha-256", cert.certificate().getEncoded()).hex())
                .isEqualTo(cert.fingerprintSha256());
    }

    @Test
    void namesTheBadPartOfAMalformedAttribute() {
        assertThatThrownBy(() -> Fingerprint.parse("sha-256"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a=fingerprint:sha-256");
        assertThatThrownBy(() -> Fingerprint.parse("sha-256 AB:C:DE"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'C' is not a hex byte");
        assertThatThrownBy(() -> Fingerprint.parse("sha-256 AB:ZZ"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ZZ' is not a hex byte");
    }

    @Test
    void keepsUnsupportedHashFunctionsButNeverChecksAgainstThem() {
        Fingerprint md5 = Fingerprint.parse("md5 00:11");
        Fingerprint sha1 = Fingerprint.parse("sha-1 00:11");
        Fingerprint sha512 = Fingerprint.parse("sha-512 00:11");
        assertThat(md5.isSupported()).isFalse();
        assertThat(HandshakePolicy.strongestSupported(List.of(md5, sha1, sha512))).containsExactly(sha512);
        assertThatThrownBy(() -> HandshakePolicy.strongestSupported(List.of(md5)))
                .hasMessageContaining("no a=fingerprint with a supported hash function");
        assertThatThrownBy(() -> HandshakePolicy.strongestSupported(List.of()))
                .hasMessageContaining("no a=fingerprint for the peer");
    }
}

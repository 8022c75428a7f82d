package org.pasarela.transport.dtls;

import org.pasarela.srtp.SrtpProfile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SrtpKeyingMaterialTest {
    /** Exporter output 0, 1, 2, ...: the RFC 5764 §4.2 layout is then visible in the byte values. */
    private static byte[] counting(int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) i;
        }
        return out;
    }

    @Test
    void splitsExporterOutputAsClientKeyServerKeyClientSaltServerSalt() {
        SrtpKeyingMaterial keys = SrtpKeyingMaterial.fromExporterOutput(SrtpProfile.AES_CM_128_HMAC_SHA1_80,
                DtlsRole.SERVER, counting(60));
        assertThat(keys.clientMasterKey()).isEqualTo(range(0, 16));
        assertThat(keys.serverMasterKey()).isEqualTo(range(16, 32));
        assertThat(keys.clientMasterSalt()).isEqualTo(range(32, 46));
        assertThat(keys.serverMasterSalt()).isEqualTo(range(46, 60));
        assertThat(keys.localMasterKey()).isEqualTo(keys.serverMasterKey());
        assertThat(keys.remoteMasterSalt()).isEqualTo(keys.clientMasterSalt());
    }

    @Test
    void usesTwelveByteSaltsForAeadGcm() {
        SrtpKeyingMaterial keys = SrtpKeyingMaterial.fromExporterOutput(SrtpProfile.AEAD_AES_128_GCM,
                DtlsRole.CLIENT, counting(56));
        assertThat(keys.localMasterSalt()).isEqualTo(range(32, 44));
        assertThat(keys.remoteMasterSalt()).isEqualTo(range(44, 56));
    }

    @Test
    void refusesExporterOutputOfTheWrongLength() {
        assertThatThrownBy(() -> SrtpKeyingMaterial.fromExporterOutput(SrtpProfile.AEAD_AES_128_GCM,
                DtlsRole.CLIENT, counting(60)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("AEAD_AES_128_GCM: exporter output is 60 bytes, expected 56");
    }

    @Test
    void neverPrintsKeyBytesAndCopiesArrays() {
        SrtpKeyingMaterial keys = SrtpKeyingMaterial.fromExporterOutput(SrtpProfile.AES_CM_128_HMAC_SHA1_32,
                DtlsRole.CLIENT, counting(60));
        assertThat(keys.toString()).doesNotContain("[B@").contains("redacted");
        keys.localMasterKey()[0] = 99;
        assertThat(keys.localMasterKey()[0]).isZero();
        assertThat(keys).isEqualTo(SrtpKeyingMaterial.fromExporterOutput(SrtpProfile.AES_CM_128_HMAC_SHA1_32,
                DtlsRole.CLIENT, counting(60)));
    }

    @Test
    void optionsRejectNonsense() {
        assertThatThrownBy(() -> DtlsOptions.defaults().withSrtpProfiles(List.of()))
                .hasMessageContaining("at least one SRTP profile");
        assertThatThrownBy(() -> DtlsOptions.defaults().withSrtpProfiles(
                List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AEAD_AES_128_GCM)))
                .hasMessageContaining("lists a profile twice");
        assertThatThrownBy(() -> DtlsOptions.defaults().withInitialRetransmitTimeout(Duration.ofSeconds(30)))
                .hasMessageContaining("initialRetransmitTimeout PT30S");
        assertThatThrownBy(() -> DtlsOptions.defaults().withInboundQueueCapacity(1))
                .hasMessageContaining("inboundQueueCapacity 1");
    }

    private static byte[] range(int from, int to) {
        byte[] out = new byte[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = (byte) i;
        }
        return out;
    }
}

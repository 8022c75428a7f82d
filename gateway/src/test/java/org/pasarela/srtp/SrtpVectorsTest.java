package org.pasarela.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Known-answer tests from RFC 3711 Appendix B, RFC 7714 §16/§17 and libsrtp's reference packets. */
class SrtpVectorsTest {

    @Test
    void aesCounterModeKeystreamMatchesRfc3711AppendixB2() {
        Vectors v = Vectors.load("rfc3711-b2-aes-cm-keystream.txt");
        int blocks = v.getInt("blocks");
        byte[] keystream = new byte[blocks * 16];
        new AesCounterMode(v.get("session-key")).apply(v.get("offset"), keystream, 0, keystream.length);

        for (String block : new String[] {"0000", "0001", "0002", "FEFF", "FF00", "FF01"}) {
            int at = Integer.parseInt(block, 16) * 16;
            assertThat(Arrays.copyOfRange(keystream, at, at + 16)).as("block " + block).isEqualTo(v.get("block-" + block));
        }
    }

    @Test
    void sessionKeysMatchRfc3711AppendixB3() {
        Vectors v = Vectors.load("rfc3711-b3-key-derivation.txt");
        SessionKeys keys = SessionKeys.derive(SrtpProfile.AES_CM_128_HMAC_SHA1_80, v.get("master-key"), v.get("master-salt"));

        assertThat(keys.rtpKey()).isEqualTo(v.get("cipher-key"));
        assertThat(keys.rtpSalt()).isEqualTo(v.get("cipher-salt"));
        assertThat(keys.rtpAuth()).isEqualTo(Arrays.copyOf(v.get("auth-key"), 20));
    }

    @Test
    void keyDerivationProducesTheWhole94ByteAuthKeystreamOfRfc3711AppendixB3() {
        Vectors v = Vectors.load("rfc3711-b3-key-derivation.txt");
        byte[] authKeystream = new SrtpKdf(v.get("master-key"), v.get("master-salt")).derive(SrtpKdf.LABEL_RTP_AUTH, 94);
        assertThat(authKeystream).isEqualTo(v.get("auth-key"));
    }

    @Test
    void protectsRtpAndRtcpLikeLibsrtpReferencePackets() {
        Vectors v = Vectors.load("libsrtp-srtp-validate-aes-cm-128-hmac-sha1-80.txt");
        SrtpContext sender = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, v.get("master-key"), v.get("master-salt"));
        sender.startRtcpIndexAt(0xcafebabe, v.getInt("srtcp-index"));

        assertThat(protect(sender::protectRtp, v.get("rtp"))).isEqualTo(v.get("srtp"));
        assertThat(protect(sender::protectRtcp, v.get("rtcp"))).isEqualTo(v.get("srtcp"));
    }

    @Test
    void unprotectsLibsrtpReferencePackets() {
        Vectors v = Vectors.load("libsrtp-srtp-validate-aes-cm-128-hmac-sha1-80.txt");
        SrtpContext receiver = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, v.get("master-key"), v.get("master-salt"));

        assertThat(unprotect(receiver::unprotectRtp, v.get("srtp"))).isEqualTo(v.get("rtp"));
        assertThat(unprotect(receiver::unprotectRtcp, v.get("srtcp"))).isEqualTo(v.get("rtcp"));
    }

    @Test
    void gcmProtectsAndUnprotectsRtpLikeRfc7714Section16() {
        Vectors v = Vectors.load("rfc7714-aead-aes-128-gcm.txt");

        assertThat(protect(gcmContext(v)::protectRtp, v.get("rtp"))).isEqualTo(v.get("srtp"));
        assertThat(unprotect(gcmContext(v)::unprotectRtp, v.get("srtp"))).isEqualTo(v.get("rtp"));
    }

    @Test
    void gcmProtectsAndUnprotectsEncryptedRtcpLikeRfc7714Section17_1() {
        Vectors v = Vectors.load("rfc7714-aead-aes-128-gcm.txt");
        SrtpContext sender = gcmContext(v);
        sender.startRtcpIndexAt(0x4d617273, v.getInt("srtcp-index"));

        assertThat(protect(sender::protectRtcp, v.get("rtcp"))).isEqualTo(v.get("srtcp"));
        assertThat(unprotect(gcmContext(v)::unprotectRtcp, v.get("srtcp"))).isEqualTo(v.get("rtcp"));
    }

    @Test
    void gcmAcceptsAuthenticatedOnlyRtcpOfRfc7714Section17_3() {
        Vectors v = Vectors.load("rfc7714-aead-aes-128-gcm.txt");
        assertThat(unprotect(gcmContext(v)::unprotectRtcp, v.get("srtcp-tag-only"))).isEqualTo(v.get("rtcp"));
    }

    @Test
    void gcmRejectsAuthenticatedOnlyRtcpWithAFlippedBodyByte() {
        Vectors v = Vectors.load("rfc7714-aead-aes-128-gcm.txt");
        byte[] packet = v.get("srtcp-tag-only");
        packet[20] ^= 1;
        assertThat(gcmContext(v).unprotectRtcp(packet, 0, packet.length)).isEqualTo(SrtpStatus.AUTH_FAILED);
    }

    private static SrtpContext gcmContext(Vectors v) {
        byte[] key = v.get("session-key");
        byte[] salt = v.get("session-salt");
        return new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, new SessionKeys(key, new byte[0], salt, key, new byte[0], salt));
    }

    interface Transform { int apply(byte[] buf, int off, int len); }

    /** Runs {@code t} on {@code packet} placed at offset 3 of a roomy buffer, so offsets are exercised too. */
    static byte[] protect(Transform t, byte[] packet) {
        byte[] buf = new byte[packet.length + 64];
        System.arraycopy(packet, 0, buf, 3, packet.length);
        int len = t.apply(buf, 3, packet.length);
        assertThat(len).as(SrtpStatus.describe(len)).isPositive();
        return Arrays.copyOfRange(buf, 3, 3 + len);
    }

    static byte[] unprotect(Transform t, byte[] packet) {
        return protect(t, packet);
    }
}

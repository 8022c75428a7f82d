package org.pasarela.srtp;

/**
 * The six session keys one master key yields (RFC 3711 §4.3.1, labels 0-5). Auth keys are empty for AES-GCM,
 * whose cipher authenticates (RFC 7714 §11).
 */
record SessionKeys(byte[] rtpKey, byte[] rtpAuth, byte[] rtpSalt, byte[] rtcpKey, byte[] rtcpAuth, byte[] rtcpSalt) {

    static SessionKeys derive(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        SrtpKdf kdf = new SrtpKdf(masterKey, masterSalt);
        int keyLength = profile.masterKeyLength();
        int saltLength = profile.masterSaltLength();
        int authLength = profile.aead() ? 0 : SrtpProfile.AUTH_KEY_LENGTH;
        return new SessionKeys(
                kdf.derive(SrtpKdf.LABEL_RTP_ENCRYPTION, keyLength),
                kdf.derive(SrtpKdf.LABEL_RTP_AUTH, authLength),
                kdf.derive(SrtpKdf.LABEL_RTP_SALT, saltLength),
                kdf.derive(SrtpKdf.LABEL_RTCP_ENCRYPTION, keyLength),
                kdf.derive(SrtpKdf.LABEL_RTCP_AUTH, authLength),
                kdf.derive(SrtpKdf.LABEL_RTCP_SALT, saltLength));
    }
}

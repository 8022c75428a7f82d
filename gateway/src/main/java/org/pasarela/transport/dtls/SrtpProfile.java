package org.pasarela.transport.dtls;

import java.util.Optional;

/**
 * An SRTP protection profile that the DTLS {@code use_srtp} extension can negotiate (RFC 5764 §4.1.2, RFC 7714
 * §14.2), with the master key and salt lengths the RFC 5764 §4.2 key export needs. {@code toString()} is the
 * IANA spelling.
 */
public enum SrtpProfile {
    SRTP_AES128_CM_HMAC_SHA1_80(0x0001, 16, 14),
    SRTP_AES128_CM_HMAC_SHA1_32(0x0002, 16, 14),
    /** RFC 7714 §12: a 96-bit salt. */
    SRTP_AEAD_AES_128_GCM(0x0007, 16, 12),
    SRTP_AEAD_AES_256_GCM(0x0008, 32, 12);

    private final int code;
    private final int masterKeyLength;
    private final int masterSaltLength;

    SrtpProfile(int code, int masterKeyLength, int masterSaltLength) {
        this.code = code;
        this.masterKeyLength = masterKeyLength;
        this.masterSaltLength = masterSaltLength;
    }

    /** The two-byte SRTPProtectionProfile value on the wire. */
    public int code() {
        return code;
    }

    public int masterKeyLength() {
        return masterKeyLength;
    }

    public int masterSaltLength() {
        return masterSaltLength;
    }

    /** RFC 5764 §4.2: bytes the exporter must produce, 2 * (key + salt). */
    public int keyingMaterialLength() {
        return 2 * (masterKeyLength + masterSaltLength);
    }

    public static Optional<SrtpProfile> fromCode(int code) {
        for (SrtpProfile profile : values()) {
            if (profile.code == code) {
                return Optional.of(profile);
            }
        }
        return Optional.empty();
    }
}

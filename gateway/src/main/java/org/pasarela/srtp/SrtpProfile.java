package org.pasarela.srtp;

import java.util.Optional;

/**
 * An SRTP protection profile: the cipher, key/salt sizes and tag lengths that one DTLS-SRTP negotiation fixes.
 * Parameters from RFC 5764 §4.1.2 (the AES-CM profiles, whose SRTCP tag is always 80 bits) and RFC 7714 §14.2
 * (AEAD_AES_128_GCM).
 */
public enum SrtpProfile {
    AES_CM_128_HMAC_SHA1_80(0x0001, "SRTP_AES128_CM_SHA1_80", 14, 10, 10),
    AES_CM_128_HMAC_SHA1_32(0x0002, "SRTP_AES128_CM_SHA1_32", 14, 4, 10),
    AEAD_AES_128_GCM(0x0007, "SRTP_AEAD_AES_128_GCM", 12, 16, 16);

    /** HMAC-SHA1 session authentication key length (RFC 3711 §8.2, n_a = 160). */
    static final int AUTH_KEY_LENGTH = 20;
    private static final int MASTER_KEY_LENGTH = 16;

    private final int dtlsProfileId;
    private final String dtlsName;
    private final int masterSaltLength;
    private final int rtpTagLength;
    private final int rtcpTagLength;

    SrtpProfile(int dtlsProfileId, String dtlsName, int masterSaltLength, int rtpTagLength, int rtcpTagLength) {
        this.dtlsProfileId = dtlsProfileId;
        this.dtlsName = dtlsName;
        this.masterSaltLength = masterSaltLength;
        this.rtpTagLength = rtpTagLength;
        this.rtcpTagLength = rtcpTagLength;
    }

    /** The DTLS-SRTP protection profile number (RFC 5764 §4.1.2, RFC 7714 §14.2). */
    public int dtlsProfileId() { return dtlsProfileId; }

    /** The IANA name of the DTLS-SRTP protection profile, e.g. {@code SRTP_AES128_CM_SHA1_80}. */
    public String dtlsName() { return dtlsName; }

    public int masterKeyLength() { return MASTER_KEY_LENGTH; }

    public int masterSaltLength() { return masterSaltLength; }

    /** Bytes that {@link SrtpTransformer#protect} appends to an RTP packet. */
    public int rtpTagLength() { return rtpTagLength; }

    /** Bytes that SRTCP appends after the E-flag and SRTCP index. */
    public int rtcpTagLength() { return rtcpTagLength; }

    /** Bytes that {@link SrtpTransformer#protectRtcp} appends: the tag plus the 4-byte E-flag/SRTCP index. */
    public int rtcpOverhead() { return rtcpTagLength + 4; }

    /** True for AES-GCM, where the cipher authenticates and there is no separate HMAC key (RFC 7714). */
    public boolean aead() { return this == AEAD_AES_128_GCM; }

    /** Length of the DTLS exporter output this profile needs: two keys and two salts (RFC 5764 §4.2). */
    public int keyingMaterialLength() { return 2 * (MASTER_KEY_LENGTH + masterSaltLength); }

    public static Optional<SrtpProfile> fromDtlsProfileId(int id) {
        for (SrtpProfile p : values()) {
            if (p.dtlsProfileId == id) return Optional.of(p);
        }
        return Optional.empty();
    }
}

package org.pasarela.srtp;

/**
 * The SRTP key derivation function, RFC 3711 §4.3 with key_derivation_rate 0 (the only rate DTLS-SRTP uses,
 * RFC 5764 §4.1.2): session key = AES-CM_masterKey((label << 48 XOR master_salt) * 2^16). A 12-byte AES-GCM master
 * salt is zero-padded on the right to 112 bits (RFC 7714 §11).
 */
final class SrtpKdf {
    static final int LABEL_RTP_ENCRYPTION = 0x00;
    static final int LABEL_RTP_AUTH = 0x01;
    static final int LABEL_RTP_SALT = 0x02;
    static final int LABEL_RTCP_ENCRYPTION = 0x03;
    static final int LABEL_RTCP_AUTH = 0x04;
    static final int LABEL_RTCP_SALT = 0x05;

    private final AesCounterMode prf;
    private final byte[] masterSalt;

    SrtpKdf(byte[] masterKey, byte[] masterSalt) {
        if (masterSalt.length > 14) throw new IllegalArgumentException("master salt is " + masterSalt.length + " bytes; at most 14");
        this.prf = new AesCounterMode(masterKey);
        this.masterSalt = masterSalt.clone();
    }

    byte[] derive(int label, int length) {
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, masterSalt.length);
        iv[7] ^= (byte) label;   // the label sits 48 bits above the low end of the 112-bit salt
        byte[] out = new byte[length];
        prf.apply(iv, out, 0, length);
        return out;
    }
}

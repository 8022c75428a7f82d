package org.pasarela.stun;

/**
 * The FINGERPRINT value: CRC-32 (ISO 3309 / IEEE 802.3, as in zlib) of the message up to the attribute, XORed with
 * 0x5354554e (RFC 8489 §14.7). Table-driven so that checking a message allocates nothing.
 */
final class StunFingerprint {
    static final int XOR = 0x5354554e;
    private static final int[] TABLE = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
            }
            TABLE[n] = c;
        }
    }

    private StunFingerprint() {
    }

    static int crc32(byte[] buf, int off, int len) {
        int c = 0xFFFFFFFF;
        for (int i = off, end = off + len; i < end; i++) {
            c = TABLE[(c ^ buf[i]) & 0xFF] ^ (c >>> 8);
        }
        return ~c;
    }

    static int compute(byte[] buf, int off, int len) {
        return crc32(buf, off, len) ^ XOR;
    }
}

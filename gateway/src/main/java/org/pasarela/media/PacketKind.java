package org.pasarela.media;

/**
 * What a datagram on a media port is, from its first bytes alone (RFC 7983 §7, RFC 5761 §4). Used on the browser
 * leg, where STUN, DTLS, SRTP and SRTCP share one port, and on a rtcp-muxed SIP leg.
 *
 * <p>ZRTP (first byte 16-19) and TURN channel data (64-79) are {@link #UNKNOWN}: the gateway speaks neither on a
 * relay port, so they are dropped like any other noise.
 */
public enum PacketKind {
    STUN, DTLS, RTP, RTCP, UNKNOWN;

    /** RFC 5389 §6: a STUN message has a 20-byte header. */
    static final int STUN_HEADER_BYTES = 20;
    /** RFC 6347 §4.1: a DTLS record has a 13-byte header. */
    static final int DTLS_HEADER_BYTES = 13;
    /** RFC 3550 §6.4.2: the smallest RTCP packet, an empty RR, is 8 bytes. */
    static final int RTCP_MIN_BYTES = 8;

    /**
     * Classifies {@code len} bytes at {@code off}. Never throws: a range outside {@code b} or a datagram too short
     * for its kind's fixed header is {@link #UNKNOWN}.
     */
    public static PacketKind classify(byte[] b, int off, int len) {
        if (b == null || off < 0 || len <= 0 || off > b.length - len) return UNKNOWN;
        int first = b[off] & 0xff;
        if (first <= 3) return len >= STUN_HEADER_BYTES ? STUN : UNKNOWN;
        if (first >= 20 && first <= 63) return len >= DTLS_HEADER_BYTES ? DTLS : UNKNOWN;
        if (first >= 128 && first <= 191) {
            if (len < 2) return UNKNOWN;
            // RFC 5761 §4: with the marker bit masked, 64-95 can only be RTCP packet types 192-223.
            int type = b[off + 1] & 0x7f;
            if (type >= 64 && type <= 95) return len >= RTCP_MIN_BYTES ? RTCP : UNKNOWN;
            return len >= RtpHeader.FIXED_HEADER_BYTES ? RTP : UNKNOWN;
        }
        return UNKNOWN;
    }
}

package org.pasarela.media;

/**
 * Static accessors for an RTP header (RFC 3550 §5.1) read and written in place, so the relay handles packets
 * without creating objects. 32-bit fields (timestamp, SSRC) are returned as {@code int}: they are compared for
 * equality and advanced modulo 2^32, which Java {@code int} arithmetic does exactly.
 *
 * <p>Only {@link #isValid} checks bounds. The other methods assume the caller passed a range {@link #isValid}
 * accepted; they touch only the 12-byte fixed header (or the CSRC/extension/padding {@code isValid} checked).
 */
public final class RtpHeader {

    public static final int FIXED_HEADER_BYTES = 12;
    static final int VERSION = 2;

    private RtpHeader() {
    }

    /**
     * True when {@code len} bytes at {@code off} are a well-formed RTP packet: inside {@code b}, version 2, long
     * enough for its CSRC list and header extension (RFC 3550 §5.3.1), and, with the padding bit set, a padding
     * count of at least 1 that does not reach back into the header (§5.1).
     */
    public static boolean isValid(byte[] b, int off, int len) {
        if (b == null || off < 0 || len < FIXED_HEADER_BYTES || off > b.length - len) return false;
        if (version(b, off) != VERSION) return false;
        int header = FIXED_HEADER_BYTES + csrcCount(b, off) * 4;
        if (hasExtension(b, off)) {
            if (len < header + 4) return false;
            header += 4 + u16(b, off + header + 2) * 4;
        }
        if (len < header) return false;
        if (hasPadding(b, off)) {
            int padding = b[off + len - 1] & 0xff;
            return padding >= 1 && padding <= len - header;
        }
        return true;
    }

    public static int version(byte[] b, int off) {
        return (b[off] & 0xff) >>> 6;
    }

    public static boolean hasPadding(byte[] b, int off) {
        return (b[off] & 0x20) != 0;
    }

    public static boolean hasExtension(byte[] b, int off) {
        return (b[off] & 0x10) != 0;
    }

    public static int csrcCount(byte[] b, int off) {
        return b[off] & 0x0f;
    }

    public static boolean marker(byte[] b, int off) {
        return (b[off + 1] & 0x80) != 0;
    }

    public static void setMarker(byte[] b, int off, boolean marker) {
        b[off + 1] = (byte) (marker ? b[off + 1] | 0x80 : b[off + 1] & 0x7f);
    }

    public static int payloadType(byte[] b, int off) {
        return b[off + 1] & 0x7f;
    }

    /** Replaces the payload type and keeps the marker bit. */
    public static void setPayloadType(byte[] b, int off, int payloadType) {
        b[off + 1] = (byte) ((b[off + 1] & 0x80) | (payloadType & 0x7f));
    }

    public static int sequenceNumber(byte[] b, int off) {
        return u16(b, off + 2);
    }

    public static void setSequenceNumber(byte[] b, int off, int sequenceNumber) {
        b[off + 2] = (byte) (sequenceNumber >>> 8);
        b[off + 3] = (byte) sequenceNumber;
    }

    public static int timestamp(byte[] b, int off) {
        return i32(b, off + 4);
    }

    public static void setTimestamp(byte[] b, int off, int timestamp) {
        put32(b, off + 4, timestamp);
    }

    public static int ssrc(byte[] b, int off) {
        return i32(b, off + 8);
    }

    public static void setSsrc(byte[] b, int off, int ssrc) {
        put32(b, off + 8, ssrc);
    }

    /** Fixed header + CSRC list + header extension, in bytes. */
    public static int headerLength(byte[] b, int off) {
        int header = FIXED_HEADER_BYTES + csrcCount(b, off) * 4;
        if (hasExtension(b, off)) header += 4 + u16(b, off + header + 2) * 4;
        return header;
    }

    /** Index in {@code b} where the payload starts. */
    public static int payloadOffset(byte[] b, int off) {
        return off + headerLength(b, off);
    }

    /** Payload bytes, without header and padding. */
    public static int payloadLength(byte[] b, int off, int len) {
        int padding = hasPadding(b, off) ? b[off + len - 1] & 0xff : 0;
        return len - headerLength(b, off) - padding;
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    static int i32(byte[] b, int i) {
        return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    static void put32(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }
}

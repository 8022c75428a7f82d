package org.pasarela.media;

import static org.pasarela.media.RtpHeader.i32;
import static org.pasarela.media.RtpHeader.put16;
import static org.pasarela.media.RtpHeader.put32;
import static org.pasarela.media.RtpHeader.u16;

/**
 * Translates the compound RTCP packets (RFC 3550 §6.1) of one direction so that the receiving leg sees reports
 * about the streams it knows: ours. Acting as an RTP translator (RFC 3550 §7.1) rather than generating our own
 * reports keeps round-trip time working end to end: the NTP timestamp of an SR passes through unchanged, so the
 * LSR/DLSR the far side echoes back lets each endpoint measure RTT across the bridge. It also needs no timers.
 *
 * <ul>
 *   <li>SR from the current source: sender SSRC becomes our output SSRC toward the receiver; the RTP timestamp is
 *       mapped like the media; packet and octet counts become the rewriter's, since it dropped and merged
 *       packets. An SR from any other source (before the first RTP, or after a switch) becomes an RR: its
 *       NTP/RTP pair describes a timeline the receiver never saw.</li>
 *   <li>RR: the reporter SSRC becomes our output SSRC toward the receiver.</li>
 *   <li>Report blocks about the stream we send to the reporter get the SSRC of the source they really describe
 *       and its extended highest sequence number; loss, jitter, LSR and DLSR are kept. Other blocks are removed.
 *       Across a source switch the extended sequence number is approximate (cycles are counted on our side).</li>
 *   <li>SDES, BYE, APP, XR, RTPFB and PSFB are dropped: they name the other leg's SSRCs, the CNAME is
 *       meaningless with one audio stream, the sending leg's BYE does not end our stream, and audio feedback
 *       (NACK, transport-cc) cannot be translated once we renumber. Both libwebrtc and Asterisk accept a
 *       compound of SR or RR alone (RFC 5506 reduced size is the same idea).</li>
 * </ul>
 *
 * <p>Thread-safety as for {@link RtpRewriter}: call from the thread that owns this direction's RTCP; it only
 * reads the rewriters' published mapping and counters.
 */
public final class RtcpTranslator {

    static final int SR = 200;
    static final int RR = 201;
    static final int HEADER_BYTES = 8;
    static final int SENDER_INFO_BYTES = 20;
    static final int REPORT_BLOCK_BYTES = 24;

    private final RtpRewriter forward;
    private final RtpRewriter reverse;

    /**
     * @param forward rewrites the RTP that travels the same way as this RTCP (the reporter's own stream)
     * @param reverse rewrites the RTP the reporter receives (what its report blocks describe)
     */
    public RtcpTranslator(RtpRewriter forward, RtpRewriter reverse) {
        if (forward == null || reverse == null) throw new IllegalArgumentException("both rewriters are required");
        if (forward == reverse) throw new IllegalArgumentException("forward and reverse are the same rewriter");
        this.forward = forward;
        this.reverse = reverse;
    }

    /**
     * Translates the compound packet at {@code off} in place (it can only shrink) and returns its new length, or
     * -1 to drop it. Never throws for any bytes.
     */
    public int translate(byte[] b, int off, int len) {
        if (!isValidCompound(b, off, len)) return -1;
        StreamMapping sent = forward.mapping();
        StreamMapping reported = reverse.mapping();
        int end = off + len;
        int w = off;
        for (int r = off; r < end; ) {
            int packetBytes = (u16(b, r + 2) + 1) * 4;
            int type = b[r + 1] & 0xff;
            if (type == SR || type == RR) w = translateReport(b, r, w, type, sent, reported);
            r += packetBytes;
        }
        return w - off;
    }

    /**
     * RFC 3550 A.2 validity: version 2 throughout, lengths that add up to the datagram exactly, SR or RR first,
     * padding only on the last packet, and SR/RR long enough for their report count.
     */
    public static boolean isValidCompound(byte[] b, int off, int len) {
        if (b == null || off < 0 || len < HEADER_BYTES || off > b.length - len) return false;
        int end = off + len;
        for (int p = off; p < end; ) {
            if (end - p < 4 || (b[p] & 0xc0) != 0x80) return false;
            int packetBytes = (u16(b, p + 2) + 1) * 4;
            if (packetBytes > end - p) return false;
            int type = b[p + 1] & 0xff;
            if (p == off && type != SR && type != RR) return false;
            int body = packetBytes;
            if ((b[p] & 0x20) != 0) {
                int padding = b[p + packetBytes - 1] & 0xff;
                if (p + packetBytes != end || padding == 0 || padding > packetBytes - 4) return false;
                body -= padding;
            }
            if (type == SR || type == RR) {
                int fixed = HEADER_BYTES + (type == SR ? SENDER_INFO_BYTES : 0);
                if (body < fixed + (b[p] & 0x1f) * REPORT_BLOCK_BYTES) return false;
            }
            p += packetBytes;
        }
        return true;
    }

    /** Writes the translated SR/RR read at {@code r} to {@code w <= r}; returns the new write position. */
    private int translateReport(byte[] b, int r, int w, int type, StreamMapping sent, StreamMapping reported) {
        int reportCount = b[r] & 0x1f;
        int senderSsrc = i32(b, r + 4);
        boolean keepSenderInfo = type == SR && sent != null && senderSsrc == sent.sourceSsrc();
        int out = w + HEADER_BYTES;
        int blocks = r + HEADER_BYTES;
        if (type == SR) {
            if (keepSenderInfo) {
                int rtpTimestamp = i32(b, r + 16);
                System.arraycopy(b, r + 8, b, out, 8);
                put32(b, out + 8, rtpTimestamp + sent.timestampOffset());
                put32(b, out + 12, (int) forward.packetCount());
                put32(b, out + 16, (int) forward.octetCount());
                out += SENDER_INFO_BYTES;
            }
            blocks += SENDER_INFO_BYTES;
        }
        int kept = 0;
        for (int i = 0; i < reportCount; i++) {
            int block = blocks + i * REPORT_BLOCK_BYTES;
            if (reported == null || i32(b, block) != reverse.outputSsrc()) continue;
            System.arraycopy(b, block, b, out, REPORT_BLOCK_BYTES);
            put32(b, out, reported.sourceSsrc());
            put32(b, out + 8, i32(b, out + 8) - (short) reported.sequenceOffset());
            out += REPORT_BLOCK_BYTES;
            kept++;
        }
        b[w] = (byte) (0x80 | kept);
        b[w + 1] = (byte) (keepSenderInfo ? SR : RR);
        put16(b, w + 2, (out - w) / 4 - 1);
        put32(b, w + 4, forward.outputSsrc());
        return out;
    }
}

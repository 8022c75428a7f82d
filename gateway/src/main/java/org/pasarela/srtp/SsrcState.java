package org.pasarela.srtp;

/**
 * What one direction knows about one SSRC: the RTP rollover counter and highest sequence number (RFC 3711 §3.3.1),
 * the RTP and SRTCP replay windows (§3.3.2), and the next SRTCP index to send (§3.4). Every check is side-effect
 * free; the caller commits with {@link #acceptRtp} / {@link #acceptRtcp} only after authentication succeeded, so a
 * forged packet never moves the window. Not thread-safe; owned by its {@link SrtpContext}.
 */
final class SsrcState {
    /** Packets remembered behind the highest index; RFC 3711 §3.3.2 asks for at least 64. */
    static final int REPLAY_WINDOW = 64;
    private static final long MAX_ROC = 0xFFFF_FFFFL;
    private static final long MAX_RTCP_INDEX = 0x7FFF_FFFFL;

    int ssrc;
    private boolean rtpStarted;
    private long roc;
    private int highestSeq;
    private long rtpWindow;      // bit i set: index (highest - i) was accepted

    private long rtcpHighest = -1;
    private long rtcpWindow;
    long rtcpNextIndex;

    SsrcState(int ssrc) {
        this.ssrc = ssrc;
    }

    void resetTo(int newSsrc) {
        ssrc = newSsrc;
        rtpStarted = false;
        roc = 0;
        highestSeq = 0;
        rtpWindow = 0;
        rtcpHighest = -1;
        rtcpWindow = 0;
        rtcpNextIndex = 0;
    }

    void copyFrom(SsrcState other) {
        ssrc = other.ssrc;
        rtpStarted = other.rtpStarted;
        roc = other.roc;
        highestSeq = other.highestSeq;
        rtpWindow = other.rtpWindow;
        rtcpHighest = other.rtcpHighest;
        rtcpWindow = other.rtcpWindow;
        rtcpNextIndex = other.rtcpNextIndex;
    }

    /**
     * The 48-bit packet index for {@code seq} (RFC 3711 §3.3.1 and Appendix A), or a negative {@link SrtpStatus}:
     * TOO_OLD when the guessed ROC would be -1, INDEX_EXHAUSTED when it would pass 2^32 - 1.
     */
    long estimateIndex(int seq) {
        if (!rtpStarted) return seq;
        long v;
        if (highestSeq < 32768) {
            v = seq - highestSeq > 32768 ? roc - 1 : roc;
        } else {
            v = highestSeq - 32768 > seq ? roc + 1 : roc;
        }
        if (v < 0) return SrtpStatus.TOO_OLD;
        if (v > MAX_ROC) return SrtpStatus.INDEX_EXHAUSTED;
        return v << 16 | seq;
    }

    /** 0 if {@code index} is new, else REPLAYED or TOO_OLD (RFC 3711 §3.3.2). */
    int checkRtp(long index) {
        if (!rtpStarted) return 0;
        return check(index, roc << 16 | highestSeq, rtpWindow);
    }

    void acceptRtp(long index) {
        if (!rtpStarted) {
            rtpStarted = true;
            roc = index >>> 16;
            highestSeq = (int) (index & 0xffff);
            rtpWindow = 1;
            return;
        }
        long highest = roc << 16 | highestSeq;
        rtpWindow = slide(index, highest, rtpWindow);
        if (index > highest) {
            roc = index >>> 16;
            highestSeq = (int) (index & 0xffff);
        }
    }

    /** The rollover counter that goes with {@code index}: its high 32 bits. */
    static int rocOf(long index) {
        return (int) (index >>> 16);
    }

    int checkRtcp(long index) {
        if (rtcpHighest < 0) return 0;
        return check(index, rtcpHighest, rtcpWindow);
    }

    void acceptRtcp(long index) {
        if (rtcpHighest < 0) {
            rtcpHighest = index;
            rtcpWindow = 1;
            return;
        }
        rtcpWindow = slide(index, rtcpHighest, rtcpWindow);
        if (index > rtcpHighest) rtcpHighest = index;
    }

    /** The SRTCP index for the next sent packet, or INDEX_EXHAUSTED after 2^31 packets (RFC 3711 §3.4). */
    long takeRtcpIndex() {
        if (rtcpNextIndex > MAX_RTCP_INDEX) return SrtpStatus.INDEX_EXHAUSTED;
        return rtcpNextIndex++;
    }

    private static int check(long index, long highest, long window) {
        long delta = index - highest;
        if (delta > 0) return 0;
        if (-delta >= REPLAY_WINDOW) return SrtpStatus.TOO_OLD;
        return (window >>> -delta & 1) != 0 ? SrtpStatus.REPLAYED : 0;
    }

    private static long slide(long index, long highest, long window) {
        long delta = index - highest;
        if (delta > 0) return delta >= REPLAY_WINDOW ? 1 : window << delta | 1;
        return window | 1L << -delta;
    }
}

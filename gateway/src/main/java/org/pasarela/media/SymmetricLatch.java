package org.pasarela.media;

import java.net.InetSocketAddress;

/**
 * Symmetric RTP policy for the SIP leg: which source addresses' packets the relay accepts, and where it sends.
 * Phones and ATAs behind NAT advertise a private address in SDP but send from a public one, so the relay may
 * latch once onto where packets really come from; the RTP bleed/injection attacks (Asterisk AST-2017-008)
 * exploit relays that latch onto anyone, at any time. Rules:
 *
 * <ol>
 *   <li>Packets from the SDP-advertised address are accepted, and the first valid one locks the latch there.</li>
 *   <li>Until then, and only within {@code window} of the answer, the latch may move once to another address,
 *       after {@code probation} valid packets in a row from it: for RTP, same SSRC and consecutive sequence
 *       numbers, with a negotiated payload type (checked by the caller). Four is Asterisk's strictrtp
 *       probation: a stray or sprayed packet cannot capture the stream, while the real peer passes in 80 ms.
 *       Probation packets are dropped. The SSRC cannot be checked against anything better: SIP peers rarely
 *       announce a=ssrc, so consistency within the candidate is what we can demand.</li>
 *   <li>Once latched, packets from every other address are dropped and counted, forever: an attacker who
 *       learns the port later gains nothing. A NAT rebinding mid-call is the price.</li>
 * </ol>
 *
 * <p>RTCP on its own port gets its own latch ({@link #forRtcp}): RTCP has no sequence numbers and arrives every
 * few seconds, so probation is one packet, but an unadvertised RTCP address is only accepted from the host the
 * RTP latch already vetted. With rtcp-mux, RTCP shares the RTP latch.
 *
 * <p>Not thread-safe: {@link #onPacket} belongs to the relay thread that reads the port; {@link #destination}
 * may be read from any thread.
 */
public final class SymmetricLatch {

    /** What to do with a packet. */
    public enum Verdict {
        /** Forward it. */
        ACCEPT,
        /** Forward it; the latch has just locked onto its source (send there from now on). */
        LATCHED,
        /** Drop it. */
        DROP
    }

    public static final long RTP_WINDOW_NANOS = 5_000_000_000L;
    public static final int RTP_PROBATION_PACKETS = 4;
    /** Long enough for the first report (RFC 3550 §6.2: about 2.5 s, randomised, later from some PBXs). */
    public static final long RTCP_WINDOW_NANOS = 15_000_000_000L;

    private final InetSocketAddress advertised;
    private final long windowEndNanos;
    private final int probation;
    private final SymmetricLatch vettedHost;

    private volatile InetSocketAddress latched;
    private InetSocketAddress candidate;
    private int candidateSsrc;
    private int candidateSequence;
    private int candidatePackets;
    private long droppedPackets;

    private SymmetricLatch(InetSocketAddress advertised, long startNanos, long windowNanos, int probation,
                           SymmetricLatch vettedHost) {
        if (advertised == null) throw new IllegalArgumentException("advertised address is null");
        this.advertised = advertised;
        this.windowEndNanos = startNanos + windowNanos;
        this.probation = probation;
        this.vettedHost = vettedHost;
    }

    /** An RTP latch for the SDP address {@code advertised}; {@code startNanos} is when the answer arrived. */
    public static SymmetricLatch forRtp(InetSocketAddress advertised, long startNanos) {
        return new SymmetricLatch(advertised, startNanos, RTP_WINDOW_NANOS, RTP_PROBATION_PACKETS, null);
    }

    /** A latch for RTCP on its own port (RTP port + 1 or a=rtcp), tied to the host {@code rtp} latched onto. */
    public static SymmetricLatch forRtcp(InetSocketAddress advertised, SymmetricLatch rtp, long startNanos) {
        if (rtp == null) throw new IllegalArgumentException("RTP latch is null");
        return new SymmetricLatch(advertised, startNanos, RTCP_WINDOW_NANOS, 1, rtp);
    }

    /**
     * Decides about one packet from {@code source}. {@code wanted} is the caller's verdict on its content: valid
     * RTP with a negotiated payload type, or a valid RTCP compound. {@code ssrc} and {@code sequence} are the RTP
     * header's (ignored for RTCP).
     */
    public Verdict onPacket(InetSocketAddress source, boolean wanted, int ssrc, int sequence, long nowNanos) {
        InetSocketAddress current = latched;
        if (current != null) return current.equals(source) ? Verdict.ACCEPT : drop();
        if (source == null || !wanted) return drop();
        if (source.equals(advertised)) {
            latched = advertised;
            return Verdict.LATCHED;
        }
        if (nowNanos - windowEndNanos > 0 || !fromVettedHost(source)) return drop();
        if (source.equals(candidate) && ssrc == candidateSsrc && sequence == ((candidateSequence + 1) & 0xffff)) {
            candidatePackets++;
        } else {
            candidate = source;
            candidateSsrc = ssrc;
            candidatePackets = 1;
        }
        candidateSequence = sequence;
        if (candidatePackets < probation) return drop();
        latched = source;
        candidate = null;
        return Verdict.LATCHED;
    }

    /** Where to send: the latched address, else the advertised one. */
    public InetSocketAddress destination() {
        InetSocketAddress current = latched;
        return current != null ? current : advertised;
    }

    /** True once the latch is locked. */
    public boolean isLatched() {
        return latched != null;
    }

    /** Packets dropped so far: from other addresses, malformed, or held in probation. */
    public long droppedPackets() {
        return droppedPackets;
    }

    private boolean fromVettedHost(InetSocketAddress source) {
        if (vettedHost == null) return true;
        InetSocketAddress rtp = vettedHost.latched;
        return rtp != null && rtp.getAddress() != null && rtp.getAddress().equals(source.getAddress());
    }

    private Verdict drop() {
        droppedPackets++;
        return Verdict.DROP;
    }
}

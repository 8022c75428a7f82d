package org.pasarela.media;

/**
 * Makes the packets of one direction look like one continuous RTP stream to the receiving leg, whatever the
 * sending leg does: a fixed outgoing SSRC, sequence numbers and timestamps that continue across a change of
 * source, the marker bit on the first packet after a change, duplicates dropped, reordering preserved.
 *
 * <p>Within a source, sequence numbers and timestamps are mapped by a constant offset, never by counting, so
 * reordered packets keep their order, loss stays visible to the receiver's reports, and an RFC 4733 event keeps
 * one timestamp across all its packets. A new source's first packet is placed one sequence number after the last
 * output and {@code max(wall-clock gap, one frame)} after the last output timestamp (or the end of the last
 * event), which keeps the receiver's jitter buffer in step with real time.
 *
 * <p>A source changes when the SSRC changes, or when a PBX re-anchors the same SSRC: the sequence number jumps by
 * more than {@link #MAX_DROPOUT} (RFC 3550 A.1: 60 s of loss at 20 ms ptime, beyond any real loss burst) or, for
 * voice, the timestamp runs more than {@link #MAX_TIMESTAMP_SKEW_NANOS} ahead of wall-clock time or goes back more
 * than that. Network jitter can shift arrival against timestamps by at most the path's delay variation, well under
 * 2 s, while a re-anchored stream starts at a random timestamp, almost never within 2 s of the old one. Event
 * packets are exempt from the timestamp test: their timestamp is the event's start and legitimately stays behind.
 *
 * <p>Not thread-safe: {@link #rewrite} and {@link #inject} belong to the one relay thread that sends this
 * direction. {@link RtcpTranslator} may read {@link #outputSsrc}, the published {@link StreamMapping} and the
 * counters from another thread. Allocation-free except one small record per source change.
 */
public final class RtpRewriter {

    /** What happened to a packet. A verdict other than {@link #FORWARD} means: do not send it. */
    public enum Verdict {
        FORWARD, DROP_INVALID, DROP_PAYLOAD_TYPE, DROP_DUPLICATE, DROP_LATE
    }

    /** RFC 3550 A.1 MAX_DROPOUT. */
    public static final int MAX_DROPOUT = 3000;
    /** RFC 3550 A.1 MAX_MISORDER: how far behind the newest a packet may arrive and still count as reordered. */
    public static final int MAX_MISORDER = 100;
    /** Sequence numbers remembered behind the newest, for duplicate detection; older late packets are dropped. */
    static final int DUPLICATE_WINDOW = 64;
    public static final long MAX_TIMESTAMP_SKEW_NANOS = 2_000_000_000L;
    /** Wall-clock gaps are capped so that ticks never overflow; an hour-long gap is as good as any. */
    static final long MAX_GAP_NANOS = 3_600_000_000_000L;
    /** Frame length assumed until observed: 20 ms, the default ptime of WebRTC and of most SIP phones. */
    static final int DEFAULT_FRAMES_PER_SECOND = 50;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Direction direction;
    private final int outputSsrc;
    private final int initialSequence;
    private final int initialTimestamp;

    // What the receiver has seen so far.
    private boolean started;
    private int lastOutSequence;
    private int outTimestampReach;
    private long lastOutNanos;
    private int frameTicks;

    // The current source.
    private boolean hasSource;
    private int sourceSsrc;
    private int sequenceOffset;
    private int timestampOffset;
    private int highestSequence;
    private long seenWindow;
    private boolean hasVoiceTimestamp;
    private int lastVoiceTimestamp;
    private long lastVoiceNanos;

    // The source before it, so that its late packets do not look like yet another change.
    private boolean hasPrevious;
    private int previousSsrc;
    private int previousHighestSequence;

    private volatile StreamMapping mapping;
    private volatile long packetCount;
    private volatile long octetCount;

    /**
     * @param direction        which way this rewriter's packets go
     * @param outputSsrc       the SSRC the receiving leg sees, chosen at random by the caller
     * @param initialSequence  the first output sequence number, random (RFC 3550 §5.1)
     * @param initialTimestamp the first output timestamp, random (RFC 3550 §5.1)
     */
    public RtpRewriter(Direction direction, int outputSsrc, int initialSequence, int initialTimestamp) {
        if (direction == null) throw new IllegalArgumentException("direction is null");
        this.direction = direction;
        this.outputSsrc = outputSsrc;
        this.initialSequence = initialSequence & 0xffff;
        this.initialTimestamp = initialTimestamp;
    }

    /**
     * Rewrites the RTP packet at {@code off} in place (SSRC, sequence number, timestamp, payload type, marker) and
     * says whether to send it. Never throws for any bytes.
     */
    public Verdict rewrite(byte[] b, int off, int len, PayloadTypeMap payloadTypes, long nowNanos) {
        if (!RtpHeader.isValid(b, off, len)) return Verdict.DROP_INVALID;
        int inPayloadType = RtpHeader.payloadType(b, off);
        int outPayloadType = payloadTypes.outgoing(direction, inPayloadType);
        if (outPayloadType < 0) return Verdict.DROP_PAYLOAD_TYPE;
        boolean event = payloadTypes.isTelephoneEvent(direction, inPayloadType);
        int clockRate = payloadTypes.clockRate();
        int ssrc = RtpHeader.ssrc(b, off);
        int sequence = RtpHeader.sequenceNumber(b, off);
        int timestamp = RtpHeader.timestamp(b, off);

        boolean newSource;
        int ahead = 0;
        if (!hasSource || ssrc != sourceSsrc) {
            if (isLateFromPrevious(ssrc, sequence)) return Verdict.DROP_LATE;
            newSource = true;
        } else {
            ahead = (sequence - highestSequence) & 0xffff;
            if (ahead == 0) return Verdict.DROP_DUPLICATE;
            if (ahead <= MAX_DROPOUT) {
                newSource = !event && timestampJumped(timestamp, clockRate, nowNanos);
            } else if (ahead >= 0x10000 - MAX_MISORDER) {
                return forwardLate(b, off, len, outPayloadType, 0x10000 - ahead, sequence, timestamp);
            } else {
                if (isLateFromPrevious(ssrc, sequence)) return Verdict.DROP_LATE;
                newSource = true;
            }
        }
        boolean switched = newSource && started;
        if (newSource) {
            startSource(ssrc, sequence, timestamp, clockRate, nowNanos);
            ahead = 0;
        } else {
            seenWindow = ahead >= DUPLICATE_WINDOW ? 1L : (seenWindow << ahead) | 1L;
        }
        highestSequence = sequence;
        int outSequence = (sequence + sequenceOffset) & 0xffff;
        int outTimestamp = timestamp + timestampOffset;
        int payloadOffset = RtpHeader.payloadOffset(b, off);
        int reach = outTimestamp;
        if (event && TelephoneEventDecoder.hasEvent(b, off, len)) {
            reach += TelephoneEventDecoder.duration(b, payloadOffset);
        } else if (!event) {
            learnFrame(ahead, timestamp, clockRate, nowNanos);
        }
        noteOutput(outSequence, reach, nowNanos);
        write(b, off, outPayloadType, outSequence, outTimestamp);
        if (switched) RtpHeader.setMarker(b, off, true);
        count(b, off, len);
        return Verdict.FORWARD;
    }

    /**
     * Stamps a locally generated packet (a {@link TelephoneEventEncoder} packet, its timestamp already set from
     * {@link #timestampAt}) with the output SSRC and the next sequence number, so it slots into the stream. Source
     * packets older than the injected one are dropped from then on, since their numbers are taken.
     */
    public Verdict inject(byte[] b, int off, int len, long nowNanos) {
        if (!RtpHeader.isValid(b, off, len)) return Verdict.DROP_INVALID;
        int outSequence = started ? (lastOutSequence + 1) & 0xffff : initialSequence;
        if (hasSource) {
            sequenceOffset = (sequenceOffset + 1) & 0xffff;
            seenWindow = -1L;
            mapping = new StreamMapping(sourceSsrc, sequenceOffset, timestampOffset);
        }
        int reach = RtpHeader.timestamp(b, off);
        if (TelephoneEventDecoder.hasEvent(b, off, len)) {
            reach += TelephoneEventDecoder.duration(b, RtpHeader.payloadOffset(b, off));
        }
        noteOutput(outSequence, reach, nowNanos);
        RtpHeader.setSsrc(b, off, outputSsrc);
        RtpHeader.setSequenceNumber(b, off, outSequence);
        count(b, off, len);
        return Verdict.FORWARD;
    }

    /**
     * The output timestamp that corresponds to {@code nowNanos}: where an injected event starts. Before any
     * output, the initial timestamp.
     */
    public int timestampAt(long nowNanos, int clockRate) {
        return started ? outTimestampReach + gapTicks(nowNanos, clockRate) : initialTimestamp;
    }

    public int outputSsrc() {
        return outputSsrc;
    }

    /** Packets sent so far, for the SR sender's packet count (RFC 3550 §6.4.1). */
    public long packetCount() {
        return packetCount;
    }

    /** Payload octets sent so far, for the SR sender's octet count (RFC 3550 §6.4.1). */
    public long octetCount() {
        return octetCount;
    }

    /** The current source's mapping, or null before the first source packet. */
    StreamMapping mapping() {
        return mapping;
    }

    private boolean isLateFromPrevious(int ssrc, int sequence) {
        if (!hasPrevious || ssrc != previousSsrc) return false;
        int ahead = (sequence - previousHighestSequence) & 0xffff;
        return ahead == 0 || ahead >= 0x10000 - MAX_MISORDER;
    }

    private boolean timestampJumped(int timestamp, int clockRate, long nowNanos) {
        if (!hasVoiceTimestamp) return false;
        long advance = timestamp - lastVoiceTimestamp;
        long skew = (long) clockRate * MAX_TIMESTAMP_SKEW_NANOS / NANOS_PER_SECOND;
        long elapsed = ticks(nowNanos - lastVoiceNanos, clockRate);
        return advance < -skew || advance - elapsed > skew;
    }

    private void startSource(int ssrc, int sequence, int timestamp, int clockRate, long nowNanos) {
        if (hasSource) {
            hasPrevious = true;
            previousSsrc = sourceSsrc;
            previousHighestSequence = highestSequence;
        }
        int outSequence = started ? (lastOutSequence + 1) & 0xffff : initialSequence;
        int outTimestamp = started ? outTimestampReach + gapTicks(nowNanos, clockRate) : initialTimestamp;
        hasSource = true;
        sourceSsrc = ssrc;
        sequenceOffset = (outSequence - sequence) & 0xffff;
        timestampOffset = outTimestamp - timestamp;
        seenWindow = 1L;
        hasVoiceTimestamp = false;
        mapping = new StreamMapping(ssrc, sequenceOffset, timestampOffset);
    }

    private Verdict forwardLate(byte[] b, int off, int len, int outPayloadType, int behind, int sequence,
                                int timestamp) {
        if (behind >= DUPLICATE_WINDOW) return Verdict.DROP_LATE;
        long bit = 1L << behind;
        if ((seenWindow & bit) != 0) return Verdict.DROP_DUPLICATE;
        seenWindow |= bit;
        write(b, off, outPayloadType, (sequence + sequenceOffset) & 0xffff, timestamp + timestampOffset);
        count(b, off, len);
        return Verdict.FORWARD;
    }

    private void learnFrame(int ahead, int timestamp, int clockRate, long nowNanos) {
        if (hasVoiceTimestamp && ahead == 1) {
            int advance = timestamp - lastVoiceTimestamp;
            // Only a plausible frame (up to 200 ms): a jump after silence suppression says nothing about ptime.
            if (advance > 0 && advance <= clockRate / 5) frameTicks = advance;
        }
        hasVoiceTimestamp = true;
        lastVoiceTimestamp = timestamp;
        lastVoiceNanos = nowNanos;
    }

    private void noteOutput(int outSequence, int reach, long nowNanos) {
        if (!started || reach - outTimestampReach > 0) outTimestampReach = reach;
        started = true;
        lastOutSequence = outSequence;
        lastOutNanos = nowNanos;
    }

    private void write(byte[] b, int off, int payloadType, int sequence, int timestamp) {
        RtpHeader.setPayloadType(b, off, payloadType);
        RtpHeader.setSsrc(b, off, outputSsrc);
        RtpHeader.setSequenceNumber(b, off, sequence);
        RtpHeader.setTimestamp(b, off, timestamp);
    }

    private void count(byte[] b, int off, int len) {
        packetCount = packetCount + 1;
        octetCount = octetCount + RtpHeader.payloadLength(b, off, len);
    }

    /** Ticks to add after the last output: the wall-clock gap, at least one frame. */
    private int gapTicks(long nowNanos, int clockRate) {
        int frame = frameTicks > 0 ? frameTicks : clockRate / DEFAULT_FRAMES_PER_SECOND;
        return (int) Math.max(ticks(nowNanos - lastOutNanos, clockRate), frame);
    }

    private static long ticks(long nanos, int clockRate) {
        long gap = Math.max(0, Math.min(Math.min(nanos, MAX_GAP_NANOS), Long.MAX_VALUE / clockRate));
        return gap * clockRate / NANOS_PER_SECOND;
    }
}

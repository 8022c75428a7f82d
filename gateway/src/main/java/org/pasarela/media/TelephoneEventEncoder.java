package org.pasarela.media;

/**
 * The RTP packets of one RFC 4733 event (one DTMF digit), produced as time passes: packet k is due at
 * {@code start + k × interval}. Every packet carries the event's start timestamp (§2.3.1) and the duration so
 * far (§2.5.1.2); the first has the marker bit (§2.3.2); the final duration is sent three times with the E bit
 * (§2.5.1.4). Sequence number and SSRC are left zero: {@link RtpRewriter#inject} stamps them into the outgoing
 * stream. Not thread-safe; owned by the relay thread that sends the stream.
 */
public final class TelephoneEventEncoder {

    public static final int PACKET_BYTES = RtpHeader.FIXED_HEADER_BYTES + TelephoneEventDecoder.PAYLOAD_BYTES;
    /** Power level of generated tones, -10 dBm0: what libwebrtc and Asterisk send. */
    public static final int VOLUME = 10;
    /** RFC 4733 §2.5.1.4: the final packet is sent three times. */
    static final int END_PACKETS = 3;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int event;
    private final int payloadType;
    private final int timestamp;
    private final long startNanos;
    private final long intervalNanos;
    private final int intervalTicks;
    private final int toneTicks;
    private final int packetCount;
    private int next;

    /**
     * @param event          RFC 4733 event code 0-255 (see {@link TelephoneEventDecoder#eventCode})
     * @param payloadType    the telephone-event payload type the receiver negotiated
     * @param clockRate      the stream's RTP clock rate
     * @param timestamp      the event's timestamp in the outgoing stream ({@link RtpRewriter#timestampAt})
     * @param startNanos     when the first packet is due
     * @param intervalNanos  packet spacing: the stream's ptime, usually 20 ms
     * @param toneNanos      how long the tone lasts
     */
    public TelephoneEventEncoder(int event, int payloadType, int clockRate, int timestamp, long startNanos,
                                 long intervalNanos, long toneNanos) {
        if (event < 0 || event > 255) throw new IllegalArgumentException("event " + event + " is outside 0-255");
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType + " is outside 0-127");
        }
        if (clockRate <= 0) throw new IllegalArgumentException("clock rate " + clockRate + " is not positive");
        if (intervalNanos <= 0) throw new IllegalArgumentException("interval " + intervalNanos + " ns is not positive");
        if (toneNanos <= 0) throw new IllegalArgumentException("tone " + toneNanos + " ns is not positive");
        long interval = ticks(intervalNanos, clockRate);
        long tone = ticks(toneNanos, clockRate);
        if (interval < 1) throw new IllegalArgumentException("interval " + intervalNanos + " ns is under one tick");
        if (tone > 0xffff) {
            throw new IllegalArgumentException("tone of " + toneNanos / 1_000_000 + " ms is " + tone
                    + " ticks at " + clockRate + " Hz: the duration field holds at most 65535");
        }
        this.event = event;
        this.payloadType = payloadType;
        this.timestamp = timestamp;
        this.startNanos = startNanos;
        this.intervalNanos = intervalNanos;
        this.intervalTicks = (int) interval;
        this.toneTicks = (int) Math.max(1, tone);
        this.packetCount = progressPackets() + END_PACKETS - 1;
    }

    /**
     * Writes the next packet if it is due at {@code nowNanos} and returns its length ({@link #PACKET_BYTES}), or
     * returns 0 when none is due yet or the event is finished. Call again until it returns 0: a late caller gets
     * every overdue packet, in order.
     */
    public int poll(byte[] b, int off, long nowNanos) {
        if (b == null || off < 0 || off > b.length - PACKET_BYTES) {
            throw new IllegalArgumentException("buffer needs " + PACKET_BYTES + " bytes at offset " + off);
        }
        if (isFinished() || nowNanos - nextDueNanos() < 0) return 0;
        int k = next++;
        int progress = progressPackets();
        int duration = k < progress ? (int) Math.min((long) (k + 1) * intervalTicks, toneTicks) : toneTicks;
        boolean end = k >= progress - 1;
        b[off] = (byte) 0x80;
        b[off + 1] = (byte) ((k == 0 ? 0x80 : 0) | payloadType);
        RtpHeader.put16(b, off + 2, 0);
        RtpHeader.put32(b, off + 4, timestamp);
        RtpHeader.put32(b, off + 8, 0);
        b[off + 12] = (byte) event;
        b[off + 13] = (byte) ((end ? 0x80 : 0) | VOLUME);
        RtpHeader.put16(b, off + 14, duration);
        return PACKET_BYTES;
    }

    /** When the next packet is due, or {@link Long#MAX_VALUE} once all are sent. */
    public long nextDueNanos() {
        return isFinished() ? Long.MAX_VALUE : startNanos + next * intervalNanos;
    }

    public boolean isFinished() {
        return next >= packetCount;
    }

    /** Packets whose duration grows; the last of them is the first end packet. */
    private int progressPackets() {
        return (toneTicks + intervalTicks - 1) / intervalTicks;
    }

    private static long ticks(long nanos, int clockRate) {
        return nanos > Long.MAX_VALUE / clockRate ? Long.MAX_VALUE : nanos * clockRate / NANOS_PER_SECOND;
    }
}

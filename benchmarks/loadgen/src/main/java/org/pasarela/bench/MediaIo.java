package org.pasarela.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.pasarela.media.PacketKind;
import org.pasarela.stun.StunMessage;

/**
 * The load generator's media: one receive thread (a selector over every call's socket) and one send thread that
 * walks the calls in slots over the 20 ms packet time, so that a call sends every 20 ms and the calls are spread
 * over the packet time (see {@link Phases}). The payload is a pre-encoded PCMU frame whose first 16 bytes carry a
 * tag (magic, call index, send time) that the echo returns unchanged, which gives the round trip of every packet.
 */
final class MediaIo implements AutoCloseable {
    static final int MAGIC = 0x50415341; // "PASA"
    static final byte[] PCMU_FRAME = pcmuTone();

    private static final long PACKET_TIME_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** 1/φ: call i's phase is the fractional part of i/φ, which spreads any number of calls evenly. */
    private static final double GOLDEN = 0.6180339887498949;

    /** Where in the 20 ms packet time each call sends. */
    enum Phases {
        /**
         * 20 slots of 1 ms, call i in slot i mod 20, the slot's calls back to back: at 100 calls five packets reach
         * the gateway together every millisecond (every run up to run 14), about as the libwebrtc client's do.
         */
        SLOTS(20),
        /**
         * 200 slots of 100 µs, call i at the golden-ratio point of the packet time: at 100 calls the packets reach
         * the gateway one at a time, as those of browsers on other machines do (finding 11).
         */
        SPREAD(200);

        final int slots;

        Phases(int slots) {
            this.slots = slots;
        }

        int slotOf(int index) {
            return this == SLOTS ? index % slots : (int) ((index * GOLDEN % 1.0) * slots);
        }
    }

    private final Phases phases;
    private final Selector selector;
    private final Queue<LeanCall> toRegister = new ConcurrentLinkedQueue<>();
    private final List<List<LeanCall>> slots = new ArrayList<>();
    private final Thread receiver;
    private final Thread sender;
    private volatile boolean running = true;
    final Histogram rtt = new Histogram();
    volatile boolean recordRtt;
    /**
     * The measured window, in System.nanoTime(): packets sent in it are counted ({@link #windowSent}), and so are
     * the echoes of those packets, by the send time in their tag ({@link #windowReceived}), so that the window's
     * loss is that of N calls held, without the ramp's. Both are set before the window opens, the start first; empty
     * (start = end) until then.
     */
    volatile long windowStart;
    volatile long windowEnd;
    /** Written by the send thread only. */
    volatile long windowSent;
    /** Written by the receive thread only. */
    volatile long windowReceived;

    MediaIo(Phases phases) throws IOException {
        this.phases = phases;
        selector = Selector.open();
        for (int i = 0; i < phases.slots; i++) slots.add(new CopyOnWriteArrayList<>());
        receiver = new Thread(this::receiveLoop, "lean-rx");
        sender = new Thread(this::sendLoop, "lean-tx");
        receiver.setDaemon(true);
        sender.setDaemon(true);
        receiver.start();
        sender.start();
    }

    void register(LeanCall call) {
        toRegister.add(call);
        slots.get(phases.slotOf(call.index)).add(call);
        selector.wakeup();
    }

    void unregister(LeanCall call) {
        slots.get(phases.slotOf(call.index)).remove(call);
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        byte[] b = buffer.array();
        while (running) {
            try {
                selector.select(100);
                LeanCall c;
                while ((c = toRegister.poll()) != null) {
                    c.channel.configureBlocking(false);
                    c.channel.register(selector, SelectionKey.OP_READ, c);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    LeanCall call = (LeanCall) key.attachment();
                    DatagramChannel ch = call.channel;
                    for (;;) {
                        buffer.clear();
                        java.net.SocketAddress from = ch.receive(buffer);
                        if (from == null) break;
                        handle(call, b, buffer.position(), from);
                    }
                }
                selector.selectedKeys().clear();
            } catch (java.nio.channels.ClosedSelectorException e) {
                return;
            } catch (Exception e) {
                // a closed channel of a finished call: continue with the others
            }
        }
    }

    private void handle(LeanCall call, byte[] b, int len, java.net.SocketAddress from) {
        PacketKind kind = PacketKind.classify(b, 0, len);
        if (kind == PacketKind.STUN) {
            int type = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
            if (type == StunMessage.BINDING_SUCCESS_RESPONSE) call.iceAnswered.complete(true);
            if (type == StunMessage.BINDING_REQUEST) call.answerBindingRequest(b, len, (java.net.InetSocketAddress) from);
            return;
        }
        if (kind == PacketKind.DTLS) {
            var d = call.dtls;
            if (d != null) d.receive(b, 0, len);
            return;
        }
        if (kind != PacketKind.RTP && kind != PacketKind.RTCP) return;
        if (kind == PacketKind.RTCP) {
            call.rtcpReceived++;
            return;
        }
        var srtp = call.srtpIn;
        if (srtp == null && !call.plain) return;
        int plain = call.plain ? len : srtp.unprotect(b, 0, len);
        if (plain < 12 + 16) {
            call.unprotectFailed++;
            return;
        }
        call.received++;
        if (readInt(b, 12) == MAGIC) {
            long sentAt = readLong(b, 20);
            if (recordRtt) rtt.record((System.nanoTime() - sentAt) / 1000);
            if (inWindow(sentAt)) windowReceived++;
        }
    }

    private void sendLoop() {
        byte[] packet = new byte[12 + PCMU_FRAME.length + 32];
        ByteBuffer out = ByteBuffer.wrap(packet);
        long slotNanos = PACKET_TIME_NANOS / phases.slots;
        long next = System.nanoTime();
        int slot = 0;
        while (running) {
            next += slotNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            long now = System.nanoTime();
            for (LeanCall call : slots.get(slot)) {
                if (call.media) {
                    sendOne(call, packet, out, now);
                }
                if (call.srtpOut != null && now - call.nextConsentNanos > 0 && !call.hungUp.isDone()) {
                    call.nextConsentNanos = now + TimeUnit.SECONDS.toNanos(5);
                    call.sendBindingRequest(false);
                }
            }
            slot = (slot + 1) % phases.slots;
        }
    }

    /** Whether a packet sent at {@code sentAt} (System.nanoTime()) belongs to the measured window. */
    private boolean inWindow(long sentAt) {
        return sentAt - windowStart >= 0 && sentAt - windowEnd < 0;
    }

    private void sendOne(LeanCall call, byte[] packet, ByteBuffer out, long now) {
        packet[0] = (byte) 0x80;
        packet[1] = 0; // PCMU
        int seq = call.sequence = (call.sequence + 1) & 0xffff;
        packet[2] = (byte) (seq >> 8);
        packet[3] = (byte) seq;
        int ts = call.timestamp += 160;
        writeInt(packet, 4, ts);
        writeInt(packet, 8, call.ssrc);
        System.arraycopy(PCMU_FRAME, 0, packet, 12, PCMU_FRAME.length);
        writeInt(packet, 12, MAGIC);
        writeInt(packet, 16, call.index);
        writeLong(packet, 20, now);
        int len = call.plain ? 12 + PCMU_FRAME.length : call.srtpOut.protect(packet, 0, 12 + PCMU_FRAME.length);
        try {
            out.clear().limit(len);
            if (call.channel.send(out, call.gateway) == 0) {
                call.sendFailed++;
            } else {
                call.sent++;
                if (inWindow(now)) windowSent++;
            }
        } catch (IOException e) {
            call.sendFailed++;
        }
    }

    static int readInt(byte[] b, int o) {
        return ((b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }

    static long readLong(byte[] b, int o) {
        return ((long) readInt(b, o) << 32) | (readInt(b, o + 4) & 0xffffffffL);
    }

    static void writeInt(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    static void writeLong(byte[] b, int o, long v) {
        writeInt(b, o, (int) (v >>> 32));
        writeInt(b, o + 4, (int) v);
    }

    /** 20 ms of a 1 kHz tone at -10 dBFS, G.711 mu-law (8 samples a period, so the frame repeats seamlessly). */
    static byte[] pcmuTone() {
        byte[] frame = new byte[160];
        for (int i = 0; i < frame.length; i++) {
            double s = Math.sin(2 * Math.PI * 1000 * i / 8000.0) * 0.316 * 32767;
            frame[i] = linearToUlaw((int) Math.round(s));
        }
        return frame;
    }

    static byte linearToUlaw(int sample) {
        final int bias = 0x84;
        int sign = (sample >> 8) & 0x80;
        if (sign != 0) sample = -sample;
        if (sample > 32635) sample = 32635;
        sample += bias;
        int exponent = 7;
        for (int mask = 0x4000; (sample & mask) == 0 && exponent > 0; mask >>= 1) exponent--;
        int mantissa = (sample >> (exponent + 3)) & 0x0f;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.close();
    }
}

package org.pasarela.transport.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.tls.DatagramTransport;

/**
 * The pull-style {@link DatagramTransport} Bouncy Castle reads from, fed by push-style {@link #offer} calls.
 *
 * <p>A bounded queue: when it is full the new datagram is dropped (the handshake thread is behind, and a flood of
 * ClientHellos must not grow memory; BC retransmits what matters). While handshaking, {@link #receive} blocks the
 * handshake thread up to BC's wait; once the endpoint switches to inline mode it never blocks and signals "no more
 * input" with an {@link InterruptedIOException}, which BC passes through without failing the connection.
 */
final class DatagramInbox implements DatagramTransport {
    /** Ethernet-sized: DTLS peers fragment handshake messages to their path MTU, so bigger is not DTLS from ICE. */
    static final int RECEIVE_LIMIT = 1500;
    /** Fits IPv6 + UDP + a TURN channel header on a 1280-byte minimum-MTU path; Chromium uses about the same. */
    static final int SEND_LIMIT = 1200;
    private static final byte[] CLOSED = new byte[0];

    private final ArrayBlockingQueue<byte[]> queue;
    private final DatagramSender sender;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean inline;
    private volatile boolean closed;

    DatagramInbox(int capacity, DatagramSender sender) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.sender = sender;
    }

    /** Copies the datagram in; never throws for any content. Returns false if it was dropped. */
    boolean offer(byte[] data, int offset, int length) {
        if (closed || length > RECEIVE_LIMIT || length <= 0) {
            dropped.incrementAndGet();
            return false;
        }
        byte[] copy = new byte[length];
        System.arraycopy(data, offset, copy, 0, length);
        if (!queue.offer(copy)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    long dropped() {
        return dropped.get();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    void switchToInline() {
        inline = true;
    }

    /** Wakes a blocked {@link #receive} and refuses everything from now on. */
    void shutdown() {
        closed = true;
        queue.clear();
        queue.offer(CLOSED);
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        byte[] datagram;
        if (inline) {
            datagram = queue.poll();
            if (datagram == null) {
                throw new InterruptedIOException("no more queued datagrams");
            }
        } else {
            try {
                datagram = waitMillis > 0 ? queue.poll(waitMillis, TimeUnit.MILLISECONDS) : queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("DTLS handshake thread interrupted");
            }
            if (datagram == null) {
                return -1;
            }
        }
        if (closed || datagram == CLOSED) {
            throw new IOException("DTLS endpoint closed");
        }
        int n = Math.min(len, datagram.length);
        System.arraycopy(datagram, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        if (!closed) {
            sender.send(buf, off, len);
        }
    }

    /** BC calls this when it closes the record layer; the endpoint decides when the inbox really closes. */
    @Override
    public void close() {}
}

package org.pasarela.transport.rtp;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Binds the UDP sockets of a call from the configured port range.
 *
 * <p>Ports are tried from a rotating cursor so a port freed by one call is not immediately reused by the next
 * (late packets of the old call would otherwise reach the new one). A port another process holds is skipped.
 * <p>Every socket gets the same bounded receive buffer ({@code media.socket-receive-buffer}). A call's socket
 * carries one 50 packets/s stream, so its buffer is a queue of that stream's audio: when a media loop falls behind,
 * a small buffer drops the oldest excess at the kernel instead of delivering it seconds late. Measured on loopback
 * (Linux 6.18): the kernel's default queues 256 SRTP PCMU packets of 182 bytes, 5.1 s of audio; 16 KiB queues 39,
 * 0.78 s (docs/benchmarks.md).
 *
 * <p>Thread-safe: allocation is short and synchronized; sockets are closed by {@link MediaPorts#close()}.
 */
public final class PortAllocator {
    private final InetAddress bindAddress;
    private final PortRange range;
    private final int receiveBufferBytes;
    private final AtomicInteger inUse = new AtomicInteger();
    private int cursor;

    /** Sockets with the kernel's default receive buffer. */
    public PortAllocator(InetAddress bindAddress, PortRange range) {
        this(bindAddress, range, 0);
    }

    /**
     * @param receiveBufferBytes SO_RCVBUF asked for every media socket; 0 leaves the kernel's default
     *                           ({@code net.core.rmem_default})
     */
    public PortAllocator(InetAddress bindAddress, PortRange range, int receiveBufferBytes) {
        if (range.size() < 4) {
            throw new IllegalArgumentException("port range " + range + " holds fewer than 4 ports");
        }
        if (receiveBufferBytes < 0) {
            throw new IllegalArgumentException("receive buffer " + receiveBufferBytes + " bytes is negative");
        }
        this.bindAddress = bindAddress;
        this.range = range;
        this.receiveBufferBytes = receiveBufferBytes;
        this.cursor = range.min();
    }

    /**
     * The receive buffer the kernel grants a media socket, as {@code getOption(SO_RCVBUF)} reports it, read from a
     * throw-away socket: what to log at start-up next to what was asked. On Linux the kernel reserves twice this
     * for its bookkeeping, caps the request at {@code net.core.rmem_max}, and the JDK halves what it reads back.
     *
     * @throws IOException when no UDP socket can be opened
     */
    public int grantedReceiveBufferBytes() throws IOException {
        try (DatagramChannel probe = DatagramChannel.open()) {
            configure(probe);
            return probe.getOption(StandardSocketOptions.SO_RCVBUF);
        }
    }

    private void configure(DatagramChannel channel) throws IOException {
        if (receiveBufferBytes > 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
        }
    }

    /** Sockets currently held by live calls (three per call); tests check it returns to zero. */
    public int socketsInUse() {
        return inUse.get();
    }

    /**
     * Binds a browser socket and an even/odd RTP/RTCP pair.
     *
     * @throws PortsExhaustedException when no free combination is left in the range
     */
    public synchronized MediaPorts allocate() throws PortsExhaustedException {
        DatagramChannel browser = null;
        DatagramChannel rtp = null;
        DatagramChannel rtcp = null;
        try {
            browser = bindAny(false);
            DatagramChannel[] pair = bindEvenPair();
            rtp = pair[0];
            rtcp = pair[1];
            inUse.addAndGet(3);
            return new MediaPorts(browser, rtp, rtcp, () -> inUse.addAndGet(-3));
        } catch (PortsExhaustedException | RuntimeException e) {
            MediaPorts.closeQuietly(browser);
            MediaPorts.closeQuietly(rtp);
            MediaPorts.closeQuietly(rtcp);
            throw e;
        }
    }

    private DatagramChannel bindAny(boolean evenOnly) throws PortsExhaustedException {
        for (int tries = 0; tries < range.size(); tries++) {
            int port = next();
            if (evenOnly && port % 2 != 0) {
                continue;
            }
            DatagramChannel channel = tryBind(port);
            if (channel != null) {
                return channel;
            }
        }
        throw new PortsExhaustedException(range);
    }

    private DatagramChannel[] bindEvenPair() throws PortsExhaustedException {
        for (int tries = 0; tries < range.size(); tries++) {
            int port = next();
            if (port % 2 != 0 || !range.contains(port + 1)) {
                continue;
            }
            DatagramChannel rtp = tryBind(port);
            if (rtp == null) {
                continue;
            }
            DatagramChannel rtcp = tryBind(port + 1);
            if (rtcp != null) {
                return new DatagramChannel[] {rtp, rtcp};
            }
            MediaPorts.closeQuietly(rtp);
        }
        throw new PortsExhaustedException(range);
    }

    private int next() {
        int port = cursor;
        cursor = cursor >= range.max() ? range.min() : cursor + 1;
        return port;
    }

    private DatagramChannel tryBind(int port) {
        DatagramChannel channel = null;
        try {
            channel = DatagramChannel.open();
            configure(channel); // before bind: no packet may arrive while the buffer is still the default
            channel.bind(new InetSocketAddress(bindAddress, port));
            return channel;
        } catch (BindException e) {
            MediaPorts.closeQuietly(channel);
            return null;
        } catch (IOException e) {
            MediaPorts.closeQuietly(channel);
            throw new IllegalStateException("cannot open a UDP socket on " + bindAddress.getHostAddress() + ": "
                    + e.getMessage(), e);
        }
    }
}

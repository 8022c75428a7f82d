package org.pasarela.transport.rtp;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Binds the UDP sockets of a call from the configured port range.
 *
 * <p>Ports are tried from a rotating cursor so a port freed by one call is not immediately reused by the next
 * (late packets of the old call would otherwise reach the new one). A port another process holds is skipped.
 * Thread-safe: allocation is short and synchronized; sockets are closed by {@link MediaPorts#close()}.
 */
public final class PortAllocator {
    private final InetAddress bindAddress;
    private final PortRange range;
    private final AtomicInteger inUse = new AtomicInteger();
    private int cursor;

    public PortAllocator(InetAddress bindAddress, PortRange range) {
        if (range.size() < 4) {
            throw new IllegalArgumentException("port range " + range + " holds fewer than 4 ports");
        }
        this.bindAddress = bindAddress;
        this.range = range;
        this.cursor = range.min();
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

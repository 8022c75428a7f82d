package org.pasarela.echo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reflects every RTP and RTCP datagram back to where it came from, for all echo calls, on one daemon selector
 * thread. {@link #open} binds an RTP/RTCP port pair (RFC 3550 §11: RTP even, RTCP = RTP + 1); closing the pair
 * frees both ports. Thread-safe: {@link #open}, {@link Ports#close} and {@link #close} may be called from any
 * thread; only the selector thread reads and writes the sockets.
 */
final class RtpEcho implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RtpEcho.class);
    private static final int BIND_ATTEMPTS = 100;
    /** Datagrams echoed per socket per wake-up, so one busy call cannot starve the others. */
    private static final int BURST = 32;

    private final Selector selector;
    private final Thread thread;
    private final Queue<DatagramChannel> toRegister = new ConcurrentLinkedQueue<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
    private volatile boolean running = true;

    RtpEcho(String threadName) throws IOException {
        selector = Selector.open();
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** A bound RTP/RTCP port pair. Closing it stops the echo and frees both ports. */
    final class Ports implements AutoCloseable {
        private final DatagramChannel rtp;
        private final DatagramChannel rtcp;
        private final int rtpPort;

        private Ports(DatagramChannel rtp, DatagramChannel rtcp, int rtpPort) {
            this.rtp = rtp;
            this.rtcp = rtcp;
            this.rtpPort = rtpPort;
        }

        int rtpPort() {
            return rtpPort;
        }

        @Override
        public void close() {
            closeQuietly(rtp);
            closeQuietly(rtcp);
            // A registered channel's socket is only released when the selector next deregisters its key.
            selector.wakeup();
        }
    }

    /** Binds an even RTP port and the odd RTCP port above it on {@code address}, and starts echoing on both. */
    Ports open(InetAddress address) throws IOException {
        if (!running) throw new IOException("RTP echo is closed");
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            DatagramChannel rtp = DatagramChannel.open();
            try {
                rtp.bind(new InetSocketAddress(address, 0));
                int port = ((InetSocketAddress) rtp.getLocalAddress()).getPort();
                if (port % 2 != 0 || port == 65535) {
                    rtp.close();
                    continue;
                }
                DatagramChannel rtcp = DatagramChannel.open();
                try {
                    rtcp.bind(new InetSocketAddress(address, port + 1));
                } catch (IOException taken) {
                    rtcp.close();
                    rtp.close();
                    continue;
                }
                rtp.configureBlocking(false);
                rtcp.configureBlocking(false);
                toRegister.add(rtp);
                toRegister.add(rtcp);
                selector.wakeup();
                return new Ports(rtp, rtcp, port);
            } catch (IOException e) {
                closeQuietly(rtp);
                throw e;
            }
        }
        throw new IOException("no free even/odd UDP port pair on " + address.getHostAddress()
                + " after " + BIND_ATTEMPTS + " attempts");
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) closeQuietly(key.channel());
        DatagramChannel pending;
        while ((pending = toRegister.poll()) != null) closeQuietly(pending);
        try {
            selector.selectNow(); // flush cancelled keys so the sockets are really closed
            selector.close();
        } catch (IOException e) {
            log.warn("closing RTP echo selector: {}", e.toString());
        }
    }

    private void run() {
        while (running) {
            try {
                selector.select();
                DatagramChannel channel;
                while ((channel = toRegister.poll()) != null) {
                    try {
                        channel.register(selector, SelectionKey.OP_READ);
                    } catch (ClosedChannelException released) {
                        // the call ended before its sockets were registered
                    }
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.isReadable()) echo((DatagramChannel) key.channel());
                }
                selector.selectedKeys().clear();
            } catch (IOException | RuntimeException e) {
                log.warn("RTP echo loop: {}", e.toString());
            }
        }
    }

    private void echo(DatagramChannel channel) {
        try {
            for (int i = 0; i < BURST; i++) {
                buffer.clear();
                SocketAddress source = channel.receive(buffer);
                if (source == null) return;
                buffer.flip();
                channel.send(buffer, source);
            }
        } catch (ClosedChannelException released) {
            // the call ended while datagrams were queued
        } catch (IOException e) {
            log.debug("RTP echo on {}: {}", channel.socket().getLocalPort(), e.toString());
        }
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing echo socket: {}", e.toString());
        }
    }
}

package org.pasarela.transport.rtp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;

/**
 * The three UDP sockets one bridged call holds: one for the browser (ICE, DTLS and SRTP multiplexed with
 * rtcp-mux, RFC 7983) and an RTP/RTCP pair toward SIP (RTP on an even port, RTCP on the next, RFC 3550 §11).
 * The sockets are bound as soon as the call exists so the ports written into SDP are really ours.
 * Closing is idempotent and returns the ports to the allocator.
 */
public final class MediaPorts implements AutoCloseable {
    private final DatagramChannel browser;
    private final DatagramChannel sipRtp;
    private final DatagramChannel sipRtcp;
    private final Runnable onClose;
    private boolean closed;

    MediaPorts(DatagramChannel browser, DatagramChannel sipRtp, DatagramChannel sipRtcp, Runnable onClose) {
        this.browser = browser;
        this.sipRtp = sipRtp;
        this.sipRtcp = sipRtcp;
        this.onClose = onClose;
    }

    public int browserPort() {
        return port(browser);
    }

    public int sipRtpPort() {
        return port(sipRtp);
    }

    public int sipRtcpPort() {
        return port(sipRtcp);
    }

    public DatagramChannel browserChannel() {
        return browser;
    }

    public DatagramChannel sipRtpChannel() {
        return sipRtp;
    }

    public DatagramChannel sipRtcpChannel() {
        return sipRtcp;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(browser);
        closeQuietly(sipRtp);
        closeQuietly(sipRtcp);
        onClose.run();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    private static int port(DatagramChannel channel) {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException("media socket is closed", e);
        }
    }

    static void closeQuietly(DatagramChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a datagram socket only fails if it is already closed.
        }
    }
}

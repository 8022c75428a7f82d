package org.pasarela.transport.sip;

import gov.nist.core.net.DefaultNetworkLayer;
import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * JAIN-SIP's sockets, with TLS from our {@link SSLContext}. Plain sockets are JAIN-SIP's defaults. Outgoing TLS
 * connections are a TCP connect, then a TLS client layered on it with the peer name from {@link TlsPeerNames}
 * (sent as SNI when it is a domain) and HTTPS-style endpoint identification (RFC 2818 §3.1, RFC 6125), so the
 * JDK checks the server's certificate names that peer. JAIN-SIP then runs the handshake and sends.
 *
 * <p>JAIN-SIP's own SSL layer is not used: with {@code TLS_CLIENT_AUTH_TYPE=DisabledAll} it trusts every
 * certificate, and otherwise it checks only the chain (it connects by IP address and sets no endpoint
 * identification). Thread-safe.
 */
final class SipNetworkLayer implements NetworkLayer {
    /** As JAIN-SIP's own layer: a TCP connect that takes longer than this fails the send. */
    private static final int CONNECT_TIMEOUT_MS = 8000;

    private final SSLContext tls;
    private final TlsPeerNames peerNames;
    private final NetworkLayer plain = DefaultNetworkLayer.SINGLETON;

    SipNetworkLayer(SSLContext tls, TlsPeerNames peerNames) {
        this.tls = tls;
        this.peerNames = peerNames;
    }

    @Override
    public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(port, backlog, bindAddress);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
        return createSSLSocket(address, port, null);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        Socket tcp = new Socket();
        try {
            if (myAddress != null) {
                tcp.bind(new InetSocketAddress(myAddress, 0));
            }
            tcp.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
        } catch (SocketTimeoutException e) {
            tcp.close();
            throw new ConnectException("TLS: TCP connect to " + address.getHostAddress() + ":" + port
                    + " timed out after " + CONNECT_TIMEOUT_MS + " ms");
        } catch (IOException e) {
            tcp.close();
            throw new ConnectException("TLS: cannot connect to " + address.getHostAddress() + ":" + port + ": "
                    + e.getMessage());
        }
        String peerName = peerNames.expectedName(address, port);
        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(tcp, peerName, port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(parameters);
        ssl.setUseClientMode(true);
        return ssl;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return plain.createServerSocket(port, backlog, bindAddress);
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return plain.createSocket(address, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return plain.createSocket(address, port, myAddress);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress, int myPort) throws IOException {
        return plain.createSocket(address, port, myAddress, myPort);
    }

    @Override
    public DatagramSocket createDatagramSocket() throws SocketException {
        return plain.createDatagramSocket();
    }

    @Override
    public DatagramSocket createDatagramSocket(int port, InetAddress laddr) throws SocketException {
        return plain.createDatagramSocket(port, laddr);
    }

    @Override
    public void setSipStack(SipStackImpl stack) {
        // nothing to take from the stack: everything comes through the constructor
    }
}

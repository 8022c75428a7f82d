package org.pasarela.transport.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pasarela.config.Transport;

/** The gateway's TLS client against a TLS server in the same JVM, on loopback: what it accepts and refuses. */
class SipNetworkLayerTlsTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static TestPki.Issued ca;
    private static TestPki.Issued gateway;

    @TempDir
    Path dir;
    private SSLServerSocket server;
    private CompletableFuture<String> serverSide;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.ca("test-ca");
        gateway = TestPki.leaf("gateway", ca, TestPki.ecKeys(), List.of("IP:127.0.0.1"));
    }

    @AfterEach
    void closeServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /** A TLS server presenting {@code identity}; completes with the SNI name it got, or the error it saw. */
    private int serve(TestPki.Issued identity) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
        keys.init(TlsKeyMaterial.identity(identity.certificatePem(), "server.crt", identity.pkcs8KeyPem(),
                "server.key"), TlsKeyMaterial.PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1, LOOPBACK);
        serverSide = CompletableFuture.supplyAsync(() -> {
            try (SSLSocket accepted = (SSLSocket) server.accept()) {
                accepted.setSoTimeout(5000);
                accepted.startHandshake();
                var names = ((javax.net.ssl.ExtendedSSLSession) accepted.getSession()).getRequestedServerNames();
                return names.isEmpty() ? "no SNI" : new String(names.get(0).getEncoded());
            } catch (IOException e) {
                return "failed: " + e.getMessage();
            }
        });
        return server.getLocalPort();
    }

    private SipNetworkLayer client(Optional<TestPki.Issued> trusted, TlsPeerNames names) throws Exception {
        SipTlsFiles files = gateway.write(dir, "gateway", ca);
        if (trusted.isEmpty()) {
            files = new SipTlsFiles(files.certificate(), files.key(), Optional.empty());
        } else if (trusted.get() != ca) {
            files = new SipTlsFiles(files.certificate(), files.key(),
                    Optional.of(java.nio.file.Files.writeString(dir.resolve("other-ca.pem"),
                            trusted.get().certificatePem())));
        }
        return new SipNetworkLayer(SipTlsContext.create(files), names);
    }

    private static void handshake(SipNetworkLayer layer, int port) throws IOException {
        try (SSLSocket socket = layer.createSSLSocket(LOOPBACK, port, null)) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
        }
    }

    @Test
    void acceptsAServerWhoseCertificateChainsToTheTruststoreAndNamesItsAddress() throws Exception {
        int port = serve(TestPki.leaf("trunk", ca, TestPki.ecKeys(), List.of("IP:127.0.0.1")));
        handshake(client(Optional.of(ca), new TlsPeerNames()), port);
        assertThat(serverSide.get(5, TimeUnit.SECONDS)).isEqualTo("no SNI"); // IP literals are not sent as SNI
    }

    @Test
    void checksTheProxyDomainAndSendsItAsSni() throws Exception {
        int port = serve(TestPki.leaf("trunk", ca, TestPki.ecKeys(), List.of("DNS:sip.example.net")));
        TlsPeerNames names = new TlsPeerNames();
        names.expect(new SipHop("127.0.0.1", port, Transport.TLS), "sip.example.net");
        handshake(client(Optional.of(ca), names), port);
        assertThat(serverSide.get(5, TimeUnit.SECONDS)).isEqualTo("sip.example.net");
    }

    @Test
    void refusesACertificateFromAnotherCaNamingTheTruststore() throws Exception {
        TestPki.Issued otherCa = TestPki.ca("other-ca");
        int port = serve(TestPki.leaf("rogue", otherCa, TestPki.ecKeys(), List.of("IP:127.0.0.1")));
        assertThatThrownBy(() -> handshake(client(Optional.of(ca), new TlsPeerNames()), port))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("TLS: the certificate of 127.0.0.1:" + port + " (CN=rogue, issued by CN=other-ca)"
                        + " is not trusted: it does not chain to a CA in tls.truststore (");
    }

    @Test
    void refusesACertificateForAnotherName() throws Exception {
        int port = serve(TestPki.leaf("elsewhere", ca, TestPki.ecKeys(), List.of("DNS:elsewhere.example")));
        TlsPeerNames names = new TlsPeerNames();
        names.expect(new SipHop("127.0.0.1", port, Transport.TLS), "sip.example.net");
        assertThatThrownBy(() -> handshake(client(Optional.of(ca), names), port))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("is not valid for 'sip.example.net'");
    }

    @Test
    void withoutATruststoreTheJvmDefaultsApplyAndATestCaIsNotTrusted() throws Exception {
        int port = serve(TestPki.leaf("trunk", ca, TestPki.ecKeys(), List.of("IP:127.0.0.1")));
        assertThatThrownBy(() -> handshake(client(Optional.empty(), new TlsPeerNames()), port))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("does not chain to a CA in the JVM's default trust store");
    }

    @Test
    void theTrustManagerRefusesConnectionsThatDoNotAskForTheNameCheck() throws Exception {
        int port = serve(TestPki.leaf("trunk", ca, TestPki.ecKeys(), List.of("IP:127.0.0.1")));
        SSLContext context = SipTlsContext.create(gateway.write(dir, "gateway", ca));
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(LOOPBACK, port)) {
            socket.setSoTimeout(5000);
            assertThatThrownBy(socket::startHandshake)
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("does not ask for the peer's name to be checked");
        }
    }

    @Test
    void aRefusedConnectionIsReportedAsSuch() throws Exception {
        SipNetworkLayer layer = client(Optional.of(ca), new TlsPeerNames());
        int closedPort;
        try (var probe = new java.net.ServerSocket(0, 1, LOOPBACK)) {
            closedPort = probe.getLocalPort();
        }
        int port = closedPort;
        assertThatThrownBy(() -> layer.createSSLSocket(LOOPBACK, port, null))
                .isInstanceOf(java.net.ConnectException.class)
                .hasMessageStartingWith("TLS: cannot connect to 127.0.0.1:" + port);
    }
}

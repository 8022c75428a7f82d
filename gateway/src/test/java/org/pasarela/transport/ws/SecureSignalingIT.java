package org.pasarela.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pasarela.auth.OriginPolicy;
import org.pasarela.auth.SecurityEvent;

/** The plain and the TLS listener side by side, over real loopback sockets, with JDK clients as browsers. */
class SecureSignalingIT {
    private final List<SecurityEvent> events = new CopyOnWriteArrayList<>();
    private SignalingServer server;

    @TempDir
    Path data;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A server whose sessions echo every text message back. */
    private SignalingServer start(HttpsCertificate certificate, ConnectionLimits limits, int maxFrameBytes) {
        server = SignalingServer.start(List.of(WebListener.plain("127.0.0.1", 0),
                        WebListener.secure("127.0.0.1", 0, certificate)), maxFrameBytes,
                link -> new SignalingSessions.Connection() {
                    @Override
                    public void onText(String text) {
                        link.send(text);
                    }

                    @Override
                    public void onClosed() {
                    }
                }, () -> "{\"status\":\"ok\"}", OriginPolicy.DEFAULT, events::add, Clock.systemUTC(), limits);
        return server;
    }

    private static SSLContext trusting(X509Certificate anchor) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("anchor", anchor);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), new SecureRandom());
        return context;
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** Opens a WebSocket, sends "hello" and returns what came back. */
    private static String echo(HttpClient client, String url) throws Exception {
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket socket = client.newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence text, boolean last) {
                reply.complete(text.toString());
                return null;
            }
        }).get(5, TimeUnit.SECONDS);
        socket.sendText("hello", true);
        String text = reply.get(5, TimeUnit.SECONDS);
        socket.abort();
        return text;
    }

    @Test
    void speaksWssWithTheGeneratedCertificateToAClientThatTrustsIt() throws Exception {
        HttpsCertificate certificate = HttpsCertificate.selfSigned(data, List.of("localhost", "127.0.0.1"),
                new SecureRandom(), Instant.now());
        start(certificate, ConnectionLimits.UNLIMITED, 65536);
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(certificate.certificate())).build();
        assertThat(echo(client, "wss://127.0.0.1:" + server.securePort().getAsInt() + "/ws")).isEqualTo("hello");
    }

    @Test
    void speaksWssWithTheOperatorsPemChain() throws Exception {
        HttpsCertificate certificate = HttpsCertificate.fromPem(
                HttpsCertificateTest.VECTORS.resolve("web-rsa-chain.crt"), HttpsCertificateTest.VECTORS.resolve("web-rsa.key"));
        start(certificate, ConnectionLimits.UNLIMITED, 65536);
        HttpClient client = HttpClient.newBuilder()
                .sslContext(trusting(read(HttpsCertificateTest.VECTORS.resolve("ca.crt")))).build();
        assertThat(echo(client, "wss://127.0.0.1:" + server.securePort().getAsInt() + "/ws")).isEqualTo("hello");
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateCannotConnect() throws Exception {
        HttpsCertificate certificate = HttpsCertificate.selfSigned(data, List.of("127.0.0.1"), new SecureRandom(),
                Instant.now());
        start(certificate, ConnectionLimits.UNLIMITED, 65536);
        HttpClient client = HttpClient.newHttpClient(); // the JDK's CA list only
        CompletableFuture<WebSocket> open = client.newWebSocketBuilder()
                .buildAsync(URI.create("wss://127.0.0.1:" + server.securePort().getAsInt() + "/ws"),
                        new WebSocket.Listener() {});
        assertThat(open).failsWithin(5, TimeUnit.SECONDS)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class);
    }

    @Test
    void servesTheSamePagesOnBothListeners() throws Exception {
        HttpsCertificate certificate = HttpsCertificate.selfSigned(data, List.of("127.0.0.1"), new SecureRandom(),
                Instant.now());
        start(certificate, ConnectionLimits.UNLIMITED, 65536);
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(certificate.certificate())).build();
        for (String base : List.of("http://127.0.0.1:" + server.port(),
                "https://127.0.0.1:" + server.securePort().getAsInt())) {
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as(base).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as(base).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type")).contains("text/html; charset=utf-8");
        }
        assertThat(echo(client, "ws://127.0.0.1:" + server.port() + "/ws")).isEqualTo("hello");
    }

    @Test
    void offersOnlyTls12AndTls13() throws Exception {
        HttpsCertificate certificate = HttpsCertificate.selfSigned(data, List.of("127.0.0.1"), new SecureRandom(),
                Instant.now());
        SSLEngine engine = certificate.serverContext().newEngine(ByteBufAllocator.DEFAULT);
        assertThat(engine.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
        start(certificate, ConnectionLimits.UNLIMITED, 65536);
        // A client that insists on TLS 1.2 still gets in; the protocol it got is what it asked for.
        SSLContext tls12 = trusting(certificate.certificate());
        javax.net.ssl.SSLParameters only12 = tls12.getDefaultSSLParameters();
        only12.setProtocols(new String[] {"TLSv1.2"});
        HttpClient client = HttpClient.newBuilder().sslContext(tls12).sslParameters(only12).build();
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + server.securePort().getAsInt() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.sslSession()).map(javax.net.ssl.SSLSession::getProtocol).contains("TLSv1.2");
    }

    @Test
    void closesTheConnectionOverTheCapOfOneAddressAndReportsIt() throws Exception {
        HttpsCertificate certificate = HttpsCertificate.selfSigned(data, List.of("127.0.0.1"), new SecureRandom(),
                Instant.now());
        ConnectionLimits limits = new ConnectionLimits(2, 100);
        start(certificate, limits, 65536);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", i == 2 ? server.securePort().getAsInt()
                        : server.port()));
                socket.setSoTimeout(300);
                sockets.add(socket);
            }
            // Exactly one of the three is closed by the gateway without a byte; the other two stay open.
            long closed = 0;
            for (Socket socket : sockets) {
                try {
                    if (socket.getInputStream().read() == -1) {
                        closed++;
                    }
                } catch (SocketTimeoutException e) {
                    // still open: admitted
                }
            }
            assertThat(closed).isEqualTo(1);
            assertThat(limits.open("127.0.0.1")).isEqualTo(2);
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.type()).isEqualTo(SecurityEvent.Type.SessionLimit);
                assertThat(e.remote().ip()).isEqualTo("127.0.0.1");
                assertThat(e.toLogLine()).contains("Reason=\"more than 2 connections from this address "
                        + "(http.max-connections-per-address)\"");
            });
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (limits.open() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(limits.open()).as("closed connections are forgotten").isZero();
        assertThat(echo(HttpClient.newHttpClient(), "ws://127.0.0.1:" + server.port() + "/ws")).isEqualTo("hello");
    }

    @Test
    void closesAWebSocketWhoseMessageIsLargerThanTheFrameLimitWith1009() throws Exception {
        HttpsCertificate certificate = HttpsCertificate.selfSigned(data, List.of("127.0.0.1"), new SecureRandom(),
                Instant.now());
        start(certificate, ConnectionLimits.UNLIMITED, 2048);
        CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence text, boolean last) {
                        reply.complete(text.toString());
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        closeCode.complete(statusCode);
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
        String atTheLimit = "x".repeat(2048);
        socket.sendText(atTheLimit, true).get(5, TimeUnit.SECONDS);
        assertThat(reply.get(5, TimeUnit.SECONDS)).isEqualTo(atTheLimit);
        socket.sendText("y".repeat(2049), true);
        assertThat(closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1009);
    }

    @Test
    void closesAWebSocketWhoseFragmentsAddUpToMoreThanTheLimit() throws Exception {
        HttpsCertificate certificate = HttpsCertificate.selfSigned(data, List.of("127.0.0.1"), new SecureRandom(),
                Instant.now());
        start(certificate, ConnectionLimits.UNLIMITED, 2048);
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
        // Each fragment is under the limit; the message they make is not (RFC 6455 §5.4).
        socket.sendText("a".repeat(1500), false).get(5, TimeUnit.SECONDS);
        socket.sendText("b".repeat(1500), true);
        assertThat(closed.get(5, TimeUnit.SECONDS)).isEqualTo(1009);
    }

    @Test
    void refusesAnHttpRequestLargerThanSixteenKibibytes() throws Exception {
        HttpsCertificate certificate = HttpsCertificate.selfSigned(data, List.of("127.0.0.1"), new SecureRandom(),
                Instant.now());
        start(certificate, ConnectionLimits.UNLIMITED, 65536);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/health"))
                .POST(HttpRequest.BodyPublishers.ofString("z".repeat(SignalingChannelInitializer.MAX_HTTP_BYTES + 1)))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(413);
    }
}

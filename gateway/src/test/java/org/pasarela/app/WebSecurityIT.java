package org.pasarela.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pasarela.config.ConfigLoader;
import org.pasarela.transport.ws.HttpsCertificate;
import org.slf4j.LoggerFactory;

/** The whole gateway's browser side: WSS with its kept certificate, the login deadline, bad certificate files. */
class WebSecurityIT {
    @TempDir
    Path dir;
    private Gateway gateway;
    private final ListAppender<ILoggingEvent> securityLog = new ListAppender<>();

    @BeforeEach
    void captureSecurityLog() {
        securityLog.start();
        ((Logger) LoggerFactory.getLogger(SecurityLog.LOGGER)).addAppender(securityLog);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(SecurityLog.LOGGER)).detachAppender(securityLog);
        if (gateway != null) {
            gateway.close();
        }
    }

    private Gateway start(String... extra) throws Exception {
        Map<String, String> set = new LinkedHashMap<>();
        set.put("http.port", "0");
        set.put("https.port", "0");
        set.put("sip.port", String.valueOf(TestPorts.udpAndTcp()));
        set.put("echo.enabled", "false");
        int rtp = TestPorts.udpRange(8);
        set.put("rtp.port.min", String.valueOf(rtp));
        set.put("rtp.port.max", String.valueOf(rtp + 7));
        set.put("data.dir", dir.resolve("data").toString());
        set.put("users.alice.password", "secret");
        for (String kv : extra) {
            set.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        gateway = Gateway.start(ConfigLoader.load(Files.createDirectories(dir.resolve("etc")),
                Files.createDirectories(dir.resolve("profiles")), set), Clock.systemUTC());
        return gateway;
    }

    /** A WebSocket client that records text and how the gateway closed it. */
    private static final class Client {
        final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final WebSocket socket;

        Client(HttpClient http, String url) throws Exception {
            socket = http.newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence text, boolean last) {
                    texts.add(text.toString());
                    ws.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                    closed.complete(statusCode + " " + reason);
                    return null;
                }
            }).get(5, TimeUnit.SECONDS);
        }

        String request(String json) throws Exception {
            socket.sendText(json, true).get(5, TimeUnit.SECONDS);
            String reply = texts.poll(10, TimeUnit.SECONDS);
            assertThat(reply).as("reply to " + json).isNotNull();
            return reply;
        }
    }

    private static SSLContext trusting(Path pem) throws Exception {
        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(pem)) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("gateway", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), new SecureRandom());
        return context;
    }

    private String securityLines() {
        return String.join("\n", securityLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    @Test
    void closesASessionThatDoesNotLogInWithinTheTimeoutWithPolicyViolation() throws Exception {
        start("auth.login-timeout=1s");
        Client idle = new Client(HttpClient.newHttpClient(), "ws://127.0.0.1:" + gateway.httpPort() + "/ws");
        long opened = System.nanoTime();
        assertThat(idle.closed.get(5, TimeUnit.SECONDS)).isEqualTo("1008 no login within 1 s");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened)).isGreaterThanOrEqualTo(900);
        assertThat(securityLines()).containsPattern("SecurityEvent=\"LoginTimeout\",.*,Severity=\"Error\",.*"
                + "SessionID=\"s\\d+\",RemoteAddress=\"IPV4/WS/127\\.0\\.0\\.1/\\d+\","
                + "Reason=\"no login within 1 s \\(auth.login-timeout\\)\"");
    }

    @Test
    void keepsASessionThatLoggedInPastTheTimeout() throws Exception {
        start("auth.login-timeout=1s");
        Client client = new Client(HttpClient.newHttpClient(), "ws://127.0.0.1:" + gateway.httpPort() + "/ws");
        assertThat(client.request("{\"type\":\"login\",\"id\":\"1\",\"user\":\"alice\",\"password\":\"secret\"}"))
                .contains("\"type\":\"ack\"");
        Thread.sleep(1500);
        assertThat(client.request("{\"type\":\"ping\",\"id\":\"2\"}")).contains("\"type\":\"pong\"");
        assertThat(client.closed).isNotDone();
        assertThat(securityLines()).doesNotContain("LoginTimeout");
        client.socket.abort();
    }

    @Test
    void servesWssWithASelfSignedCertificateKeptAcrossRestarts() throws Exception {
        start();
        Path kept = dir.resolve("data").resolve(HttpsCertificate.CERTIFICATE_FILE);
        String first = Files.readString(kept);
        HttpClient trustingClient = HttpClient.newBuilder().sslContext(trusting(kept)).build();
        Client client = new Client(trustingClient, "wss://127.0.0.1:" + gateway.httpsPort().getAsInt() + "/ws");
        assertThat(client.request("{\"type\":\"login\",\"id\":\"1\",\"user\":\"alice\",\"password\":\"secret\"}"))
                .contains("\"type\":\"ack\"");
        client.socket.abort();
        gateway.close();
        gateway = null;

        start();
        assertThat(Files.readString(kept)).as("the kept certificate").isEqualTo(first);
        Client again = new Client(trustingClient, "wss://127.0.0.1:" + gateway.httpsPort().getAsInt() + "/ws");
        assertThat(again.request("{\"type\":\"ping\",\"id\":\"1\"}")).contains("\"type\":\"pong\"");
        again.socket.abort();
    }

    @Test
    void httpsCanBeTurnedOff() throws Exception {
        start("https.enabled=false");
        assertThat(gateway.httpsPort()).isEmpty();
        assertThat(dir.resolve("data").resolve(HttpsCertificate.CERTIFICATE_FILE)).doesNotExist();
    }

    @Test
    void refusesToStartWithABadPemNamingTheFileAndTheProblem() throws Exception {
        Path crt = Files.writeString(Files.createDirectories(dir.resolve("etc")).resolve("web.crt"), "hello\n");
        Path key = Path.of("src/test/resources/vectors/tls/web-rsa.key").toAbsolutePath(); // vectors/tls/README.md
        assertThatThrownBy(() -> start("https.certificate=web.crt", "https.key=" + key))
                .isInstanceOf(GatewayStartException.class)
                .hasMessage(crt + ": no CERTIFICATE block: expected the gateway's certificate chain in PEM, "
                        + "leaf first");
        gateway = null;
    }
}

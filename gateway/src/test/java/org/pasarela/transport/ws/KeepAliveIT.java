package org.pasarela.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A browser that only answers Pings (no messages: a quiet call) must stay connected; one that answers nothing is
 * closed after two quiet periods, so its calls end.
 */
class KeepAliveIT {
    private static final Duration QUIET = Duration.ofMillis(300);

    private static SignalingServer server(AtomicInteger closed) {
        return SignalingServer.start("127.0.0.1", 0, 65536, link -> new SignalingSessions.Connection() {
            @Override
            public void onText(String text) {
                link.send(text);
            }

            @Override
            public void onClosed() {
                closed.incrementAndGet();
            }
        }, () -> "{}", QUIET);
    }

    @Test
    void keepsAQuietBrowserThatAnswersPings() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        try (SignalingServer server = server(closed)) {
            // The JDK client answers Pings with Pongs by itself, as browsers do.
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), new WebSocket.Listener() {})
                    .get(5, TimeUnit.SECONDS);
            Thread.sleep(QUIET.toMillis() * 6);
            assertThat(closed.get()).as("closed while answering pings").isZero();
            assertThat(socket.isInputClosed()).isFalse();
            socket.abort();
        }
    }

    @Test
    void closesAPeerThatAnswersNothing() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        CompletableFuture<Void> gone = new CompletableFuture<>();
        try (SignalingServer server = server(closed)) {
            // A raw TCP client: it upgrades, then never reads or answers anything, like a vanished laptop.
            try (java.net.Socket raw = new java.net.Socket()) {
                raw.connect(new InetSocketAddress("127.0.0.1", server.port()));
                raw.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes());
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (closed.get() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(closed.get()).as("a silent peer is closed").isEqualTo(1);
            }
        }
    }
}

package org.pasarela.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A browser stand-in: JSON text frames over a real WebSocket, every received message kept in order. */
final class WebSocketTestClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    final List<JsonNode> received = new ArrayList<>();

    WebSocketTestClient(int port) throws Exception {
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                inbox.add(JSON.readTree(partial.toString()));
                            } catch (Exception e) {
                                throw new IllegalStateException("gateway sent invalid JSON: " + partial, e);
                            }
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
    }

    void send(String json) {
        socket.sendText(json, true).join();
    }

    /** The next message, which must be of {@code type}. */
    JsonNode next(String type) throws InterruptedException {
        JsonNode message = inbox.poll(10, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no '" + type + "' within 10 s; so far: " + received);
        }
        received.add(message);
        if (!type.equals(message.path("type").asText())) {
            throw new AssertionError("expected '" + type + "', got " + message + "; before it: " + received);
        }
        return message;
    }

    /** Nothing more arrives for a while. */
    JsonNode poll(Duration wait) throws InterruptedException {
        return inbox.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
    }

    void abort() {
        socket.abort();
    }
}

package org.pasarela.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** One WebSocket to the gateway speaking docs/protocol.md: JSON out, JSON in (queued, or to a late listener). */
final class Signaling implements WebSocket.Listener {
    static final ObjectMapper JSON = new ObjectMapper();
    private final StringBuilder partial = new StringBuilder();
    private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private volatile Consumer<JsonNode> afterSetup;
    private volatile boolean closed;
    private WebSocket socket;
    private int nextId;

    static Signaling connect(HttpClient client, URI uri, String subprotocol) throws Exception {
        Signaling s = new Signaling();
        WebSocket.Builder b = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (subprotocol != null) b.subprotocols(subprotocol);
        s.socket = b.buildAsync(uri, s).get(15, TimeUnit.SECONDS);
        return s;
    }

    ObjectNode message(String type) {
        ObjectNode m = JSON.createObjectNode();
        m.put("type", type);
        return m;
    }

    /** Sends {@code m} with a fresh id and returns the id. */
    synchronized String request(ObjectNode m) throws Exception {
        String id = Integer.toString(++nextId);
        m.put(m.has("janus") ? "transaction" : "id", id);
        send(m);
        return id;
    }

    synchronized void send(ObjectNode m) throws Exception {
        socket.sendText(JSON.writeValueAsString(m), true).get(10, TimeUnit.SECONDS);
    }

    /** The next queued message matching {@code p} (others are dropped), or an exception naming what was awaited. */
    JsonNode await(String what, Predicate<JsonNode> p, long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (;;) {
            long left = deadline - System.nanoTime();
            JsonNode m = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : null;
            if (m == null) {
                throw new IllegalStateException("no " + what + " within " + timeoutMs + " ms" + (closed ? " (WebSocket closed)" : ""));
            }
            boolean janusError = "error".equals(m.path("janus").asText())
                    || m.path("plugindata").path("data").has("error");
            if (janusError || "error".equals(m.path("type").asText())
                    || "hangup".equals(m.path("type").asText()) && !what.startsWith("hangup")) {
                throw new IllegalStateException("waiting for " + what + ", got " + m);
            }
            if (p.test(m)) {
                return m;
            }
        }
    }

    /** From now on messages go to {@code listener} instead of the queue (queued ones are delivered first). */
    void listen(Consumer<JsonNode> listener) {
        afterSetup = listener;
        JsonNode m;
        while ((m = inbox.poll()) != null) {
            listener.accept(m);
        }
    }

    boolean closed() {
        return closed;
    }

    void close() {
        if (!closed) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }

    void abort() {
        socket.abort();
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                JsonNode m = JSON.readTree(partial.toString());
                Consumer<JsonNode> l = afterSetup;
                if (l != null) {
                    l.accept(m);
                } else {
                    inbox.add(m);
                }
            } catch (Exception e) {
                System.err.println("unparsable message from the gateway: " + partial);
            }
            partial.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed = true;
        Consumer<JsonNode> l = afterSetup;
        if (l != null) {
            l.accept(JSON.createObjectNode().put("type", "ws-closed").put("code", statusCode));
        }
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed = true;
    }
}

package org.pasarela.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pasarela.config.ConfigLoader;
import org.pasarela.history.CallHistory;
import org.pasarela.history.Direction;
import org.pasarela.history.HangupParty;

/** The call history through the whole gateway: an echo call is recorded and comes back in {@code history}. */
class HistoryIT {
    @TempDir
    Path dir;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = Gateway.start(ConfigLoader.load(Files.createDirectories(dir.resolve("etc")),
                Files.createDirectories(dir.resolve("profiles")), settings()), Clock.systemUTC());
    }

    private Map<String, String> settings() throws Exception {
        int rtp = TestPorts.udpRange(20);
        Map<String, String> set = new LinkedHashMap<>();
        set.put("http.port", "0");
        set.put("https.port", "0");
        set.put("sip.port", String.valueOf(TestPorts.udpAndTcp()));
        set.put("echo.port", String.valueOf(TestPorts.udpAndTcp()));
        set.put("rtp.port.min", String.valueOf(rtp));
        set.put("rtp.port.max", String.valueOf(rtp + 19));
        set.put("data.dir", dir.resolve("data").toString());
        set.put("users.alice.password", "secret");
        return set;
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private WebSocketTestClient connect() throws Exception {
        return new WebSocketTestClient(gateway.httpPort());
    }

    private static void login(WebSocketTestClient client) throws Exception {
        client.send("{\"type\":\"login\",\"id\":\"1\",\"user\":\"alice\",\"password\":\"secret\"}");
        client.next("ack");
    }

    private static String chromiumOffer() throws Exception {
        try (InputStream in = HistoryIT.class.getResourceAsStream("/vectors/sdp/browser/chromium-audio-offer.sdp")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void anEchoCallComesBackInTheHistoryAnsweredEndedWith200() throws Exception {
        Instant before = Instant.now().minusMillis(1);
        try (WebSocketTestClient client = connect()) {
            login(client);
            client.send("{\"type\":\"call\",\"id\":\"2\",\"to\":\"echo\",\"jsep\":{\"type\":\"offer\",\"sdp\":"
                    + WebSocketTestClient.quote(chromiumOffer()) + "}}");
            String call = client.next("ack").path("call").asText();
            client.next("ringing");
            client.next("answered");
            Thread.sleep(50);
            client.send("{\"type\":\"hangup\",\"id\":\"3\",\"call\":\"" + call + "\"}");
            client.next("ack");
            assertThat(client.next("hangup").path("code").asInt()).isEqualTo(200);

            client.send("{\"type\":\"history\",\"id\":\"4\",\"limit\":10}");
            JsonNode reply = client.next("history");
            assertThat(reply.path("id").asText()).isEqualTo("4");
            assertThat(reply.path("calls")).hasSize(1);
            JsonNode entry = reply.path("calls").get(0);
            assertThat(entry.path("call").asText()).isEqualTo(call);
            assertThat(entry.path("direction").asText()).isEqualTo("outbound");
            assertThat(entry.path("peer").asText()).startsWith("sip:echo@");
            assertThat(entry.path("profile").asText()).isEqualTo("echo");
            Instant start = Instant.parse(entry.path("start").asText());
            Instant answer = Instant.parse(entry.path("answer").asText());
            Instant end = Instant.parse(entry.path("end").asText());
            assertThat(start).isAfter(before).isBeforeOrEqualTo(answer);
            assertThat(answer).isBefore(end);
            assertThat(entry.path("durationMs").asLong()).isEqualTo(Duration.between(answer, end).toMillis())
                    .isGreaterThanOrEqualTo(50);
            assertThat(entry.path("code").asInt()).isEqualTo(200);
            assertThat(entry.path("reason").asText()).isEqualTo("hung up by client");
            assertThat(entry.path("hangupBy").asText()).isEqualTo("client");
            assertThat(entry.path("missed").asBoolean()).isFalse();

            client.send("{\"type\":\"history\",\"id\":\"5\",\"before\":\"" + entry.path("id").asText() + "\"}");
            assertThat(client.next("history").path("calls")).isEmpty();
        }
    }

    @Test
    void historyBeforeLoginIs401AndAnUnknownCursorIs404() throws Exception {
        try (WebSocketTestClient client = connect()) {
            client.send("{\"type\":\"history\",\"id\":\"h\"}");
            assertThat(client.next("error").path("code").asInt()).isEqualTo(401);
            login(client);
            client.send("{\"type\":\"history\",\"id\":\"h2\",\"before\":\"no-such-entry\"}");
            JsonNode error = client.next("error");
            assertThat(error.path("id").asText()).isEqualTo("h2");
            assertThat(error.path("code").asInt()).isEqualTo(404);
            assertThat(error.path("reason").asText())
                    .isEqualTo("history: before: no call 'no-such-entry' in the history of alice");
        }
    }

    @Test
    void callsMissedWhileOfflineAreReportedOnceAtTheNextLogin() throws Exception {
        Instant t0 = Instant.parse("2025-03-01T10:00:00Z");
        // No incoming calls yet: put two missed inbound calls (and one answered) straight into the store.
        try (CallHistory store = CallHistory.open("jdbc:sqlite:" + dir.resolve("data/history.db"), null, null)) {
            store.recordStarted("i1", "alice", Direction.INBOUND, "sip:+34931234567@trunk", "trunk", t0);
            store.recordEnded("i1", t0.plusSeconds(20), 487, "caller cancelled", HangupParty.REMOTE);
            store.recordStarted("i2", "alice", Direction.INBOUND, "sip:1001@pbx", "trunk", t0.plusSeconds(60));
            store.recordEnded("i2", t0.plusSeconds(90), 408, "no answer", HangupParty.GATEWAY);
            store.recordStarted("i3", "alice", Direction.INBOUND, "sip:1002@pbx", "trunk", t0.plusSeconds(120));
            store.recordAnswered("i3", t0.plusSeconds(121));
            store.recordEnded("i3", t0.plusSeconds(130), 200, "hung up by remote party", HangupParty.REMOTE);
        }
        try (WebSocketTestClient client = connect()) {
            login(client);
            JsonNode missed = client.next("missed");
            assertThat(missed.path("calls")).hasSize(2);
            assertThat(missed.path("calls").get(0).path("peer").asText()).isEqualTo("sip:+34931234567@trunk");
            assertThat(missed.path("calls").get(0).path("start").asText()).isEqualTo("2025-03-01T10:00:00Z");
            assertThat(missed.path("calls").get(0).path("missed").asBoolean()).isTrue();
            assertThat(missed.path("calls").get(0).has("answer")).isFalse();
            assertThat(missed.path("calls").get(1).path("code").asInt()).isEqualTo(408);
        }
        try (WebSocketTestClient again = connect()) {
            login(again);
            again.send("{\"type\":\"ping\",\"id\":\"p\"}");
            again.next("pong"); // no second `missed` before it
            again.send("{\"type\":\"history\",\"id\":\"h\"}");
            assertThat(again.next("history").path("calls")).hasSize(3);
        }
    }
}

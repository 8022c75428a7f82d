package org.pasarela.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pasarela.config.ConfigLoader;

/**
 * The whole gateway in one JVM: real WebSocket, real JAIN-SIP stack, real sockets, and the built-in echo
 * service as the SIP far end. Every test ends by checking that calls left nothing behind.
 */
class GatewayIT {
    @TempDir
    Path dir;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Path profiles = Files.createDirectories(dir.resolve("profiles"));
        int rtp = TestPorts.udpRange(40);
        Map<String, String> set = new LinkedHashMap<>();
        set.put("http.port", "0");
        set.put("sip.port", String.valueOf(TestPorts.udpAndTcp()));
        set.put("echo.port", String.valueOf(TestPorts.udpAndTcp()));
        set.put("rtp.port.min", String.valueOf(rtp));
        set.put("rtp.port.max", String.valueOf(rtp + 39));
        set.put("data.dir", dir.resolve("data").toString());
        set.put("users.alice.password", "secret");
        gateway = Gateway.start(ConfigLoader.load(etc, profiles, set), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static String chromiumOffer() throws Exception {
        try (InputStream in = GatewayIT.class.getResourceAsStream("/vectors/sdp/browser/chromium-audio-offer.sdp")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private WebSocketTestClient loggedIn() throws Exception {
        WebSocketTestClient client = new WebSocketTestClient(gateway.httpPort());
        client.send("{\"type\":\"login\",\"id\":\"1\",\"user\":\"alice\",\"password\":\"secret\"}");
        client.next("ack");
        return client;
    }

    private String callEcho(WebSocketTestClient client, String id) throws Exception {
        client.send("{\"type\":\"call\",\"id\":\"" + id + "\",\"to\":\"echo\",\"jsep\":{\"type\":\"offer\",\"sdp\":"
                + WebSocketTestClient.quote(chromiumOffer()) + "}}");
        JsonNode ack = client.next("ack");
        assertThat(ack.path("id").asText()).isEqualTo(id);
        return ack.path("call").asText();
    }

    private void awaitReleased() throws InterruptedException {
        awaitZero("media sockets", gateway::mediaSocketsInUse);
        awaitZero("SIP legs", gateway::activeSipLegs);
    }

    private static void awaitZero(String what, IntSupplier count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (count.getAsInt() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(count.getAsInt()).as(what + " still held").isZero();
    }

    @Test
    void callsTheEchoServiceAndGetsAWebRtcAnswerThenHangsUpCleanly() throws Exception {
        try (WebSocketTestClient client = loggedIn()) {
            String call = callEcho(client, "2");
            assertThat(call).isNotBlank();
            assertThat(gateway.mediaSocketsInUse()).isEqualTo(3);
            client.next("ringing");
            JsonNode answered = client.next("answered");
            String sdp = answered.path("jsep").path("sdp").asText();
            assertThat(answered.path("jsep").path("type").asText()).isEqualTo("answer");
            assertThat(sdp).contains("UDP/TLS/RTP/SAVPF").contains("a=ice-ufrag:").contains("a=ice-pwd:")
                    .contains("a=fingerprint:sha-256 ").contains("a=setup:passive").contains("a=rtcp-mux")
                    .contains("a=candidate:");

            client.send("{\"type\":\"hangup\",\"id\":\"3\",\"call\":\"" + call + "\"}");
            client.next("ack");
            JsonNode hangup = client.next("hangup");
            assertThat(hangup.path("code").asInt()).isEqualTo(200);
            awaitReleased();
        }
    }

    @Test
    void holdsTwoCallsOnOneConnectionWithDistinctIds() throws Exception {
        try (WebSocketTestClient client = loggedIn()) {
            String first = callEcho(client, "a");
            client.next("ringing");
            client.next("answered");
            String second = callEcho(client, "b");
            client.next("ringing");
            client.next("answered");
            assertThat(first).isNotEqualTo(second);
            assertThat(gateway.mediaSocketsInUse()).isEqualTo(6);
        }
        awaitReleased(); // closing the WebSocket ended both calls
    }

    @Test
    void closingTheWebSocketMidCallReleasesEverything() throws Exception {
        WebSocketTestClient client = loggedIn();
        callEcho(client, "2");
        client.next("ringing");
        client.next("answered");
        client.abort();
        awaitReleased();
    }

    @Test
    void malformedJsonGetsAPreciseErrorAndTheConnectionStaysUsable() throws Exception {
        try (WebSocketTestClient client = loggedIn()) {
            client.send("{\"type\":\"call\",");
            JsonNode error = client.next("error");
            assertThat(error.path("code").asInt()).isEqualTo(400);
            assertThat(error.path("reason").asText()).contains("malformed JSON");
            client.send("{\"type\":\"ping\",\"id\":\"p\"}");
            assertThat(client.next("pong").path("id").asText()).isEqualTo("p");
        }
    }

    @Test
    void healthSaysOkWithCounters() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + gateway.httpPort() + "/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"ok\"");
    }

    @Test
    void relaysSrtpFromTheBrowserThroughTheEchoAndBack() throws Exception {
        try (WebSocketTestClient client = loggedIn(); BrowserMediaPeer browser = new BrowserMediaPeer()) {
            client.send("{\"type\":\"call\",\"id\":\"2\",\"to\":\"echo\",\"jsep\":{\"type\":\"offer\",\"sdp\":"
                    + WebSocketTestClient.quote(browser.offer(chromiumOffer())) + "}}");
            String call = client.next("ack").path("call").asText();
            client.next("ringing");
            String answer = client.next("answered").path("jsep").path("sdp").asText();

            assertThat(browser.connect(answer).profile().toString()).isEqualTo("AES_CM_128_HMAC_SHA1_80");
            byte[] voice = new byte[160];
            for (int i = 0; i < voice.length; i++) {
                voice[i] = (byte) (i * 7);
            }
            byte[] heard = null;
            for (int packet = 0; packet < 50 && heard == null; packet++) {
                browser.sendRtp(0x11223344, 1000 + packet, 160 * packet, voice);
                heard = browser.receiveRtpPayload(40);
            }
            assertThat(heard).as("the echo's copy of our audio, relayed back over SRTP").isEqualTo(voice);

            client.send("{\"type\":\"hangup\",\"id\":\"3\",\"call\":\"" + call + "\"}");
            client.next("ack");
            assertThat(client.next("hangup").path("code").asInt()).isEqualTo(200);
        }
        awaitReleased();
        awaitZero("media sessions", gateway::openMediaSessions);
    }
}

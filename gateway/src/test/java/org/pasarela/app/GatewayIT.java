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
import org.pasarela.transport.rtp.ThreadNice;

/**
 * The whole gateway in one JVM: real WebSocket, real JAIN-SIP stack, real sockets, and the built-in echo
 * service as the SIP far end. Every test ends by checking that calls left nothing behind.
 */
class GatewayIT {
    @TempDir
    Path dir;
    private Gateway gateway;
    private int rtp;

    @BeforeEach
    void start() throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Path profiles = Files.createDirectories(dir.resolve("profiles"));
        rtp = TestPorts.udpRange(40);
        Map<String, String> set = new LinkedHashMap<>();
        set.put("http.port", "0");
        set.put("https.port", "0");
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
        // The kernel's drops at the gateway's UDP sockets, read from /proc (0 where there is no /proc).
        assertThat(response.body()).containsPattern("\"udpSocketDrops\":\\d+\\}$");
        // One figure per media thread: its last second, and its busiest of the last three (what refusals go by).
        assertThat(response.body()).containsPattern("\"mediaBusyPercent\":\\[\\d{1,3}(,\\d{1,3})*\\]");
        assertThat(response.body()).containsPattern("\"mediaPeakBusyPercent\":\\[\\d{1,3}(,\\d{1,3})*\\]");
        // Each media thread's nice value: the test JVM has no -XX:ThreadPriorityPolicy=1, so they keep the process's.
        int processNice = ThreadNice.ofProcess();
        assertThat(response.body()).containsPattern("\"mediaNice\":\\[" + processNice + "(," + processNice + ")*\\]");
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

    /**
     * CVE-2023-51443 and the RTP bleed/inject class: a ClientHello and RTP from an address that never passed an
     * ICE check change nothing, before or during the call, toward either side.
     */
    @Test
    void ignoresDtlsAndRtpFromAnAddressThatNeverPassedIce() throws Exception {
        try (WebSocketTestClient client = loggedIn(); BrowserMediaPeer browser = new BrowserMediaPeer();
             java.net.DatagramSocket rogue = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            client.send("{\"type\":\"call\",\"id\":\"2\",\"to\":\"echo\",\"jsep\":{\"type\":\"offer\",\"sdp\":"
                    + WebSocketTestClient.quote(browser.offer(chromiumOffer())) + "}}");
            client.next("ack");
            client.next("ringing");
            String answer = client.next("answered").path("jsep").path("sdp").asText();

            byte[] hello = new byte[64];
            hello[0] = 22; // DTLS handshake record
            hello[1] = (byte) 0xFE;
            hello[2] = (byte) 0xFD;
            hello[13] = 1; // ClientHello
            sweep(rogue, hello, 1);

            browser.connect(answer);
            byte[] voice = new byte[160];
            java.util.Arrays.fill(voice, (byte) 0x11);
            byte[] heard = null;
            for (int packet = 0; packet < 50 && heard == null; packet++) {
                browser.sendRtp(0x11223344, 1000 + packet, 160 * packet, voice);
                heard = browser.receiveRtpPayload(40);
            }
            assertThat(heard).as("media flows despite the rogue ClientHello").isEqualTo(voice);

            sweep(rogue, hello, 1);
            for (int n = 0; n < 25; n++) { // 25 packets to each of the 40 ports: 1,000 packets
                // A careful attacker: one SSRC and consecutive sequence numbers, as a real peer would send.
                sweep(rogue, rtpPacket((byte) 0x5A, 7000 + n), 1);
            }
            for (int i = 0; i < 20; i++) {
                byte[] payload = browser.receiveRtpPayload(50);
                assertThat(payload == null || payload[0] != 0x5A).as("an injected packet reached the browser").isTrue();
            }
            assertThat(client.poll(Duration.ofMillis(300))).as("the call is still up: no hangup").isNull();
        }
        awaitReleased();
    }

    private void sweep(java.net.DatagramSocket from, byte[] packet, int times) throws Exception {
        for (int n = 0; n < times; n++) {
            for (int port = rtp; port < rtp + 40; port++) {
                from.send(new java.net.DatagramPacket(packet, packet.length, java.net.InetAddress.getLoopbackAddress(),
                        port));
            }
        }
    }

    private static byte[] rtpPacket(byte fill, int sequence) {
        byte[] packet = new byte[172];
        java.util.Arrays.fill(packet, fill);
        packet[0] = (byte) 0x80;
        packet[1] = 0; // PCMU: a payload type the call really uses
        packet[2] = (byte) (sequence >> 8);
        packet[3] = (byte) sequence;
        return packet;
    }
}

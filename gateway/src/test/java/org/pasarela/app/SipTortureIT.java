package org.pasarela.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pasarela.config.ConfigLoader;

/**
 * Malformed SIP of every RFC 4475 category, over UDP and TCP, at a running gateway: it must answer what it can
 * (never 2xx to garbage), survive all of it, and then place a normal call.
 */
class SipTortureIT {
    @TempDir
    Path dir;
    private Gateway gateway;
    private int sipPort;

    @BeforeEach
    void start() throws Exception {
        int rtp = TestPorts.udpRange(20);
        sipPort = TestPorts.udpAndTcp();
        Map<String, String> set = new LinkedHashMap<>();
        set.put("http.port", "0");
        set.put("https.port", "0");
        set.put("data.dir", dir.resolve("data").toString());
        set.put("sip.port", String.valueOf(sipPort));
        set.put("echo.port", String.valueOf(TestPorts.udpAndTcp()));
        set.put("rtp.port.min", String.valueOf(rtp));
        set.put("rtp.port.max", String.valueOf(rtp + 19));
        set.put("users.alice.password", "secret");
        gateway = Gateway.start(ConfigLoader.load(Files.createDirectories(dir.resolve("etc")),
                Files.createDirectories(dir.resolve("profiles")), set), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private static List<Path> vectors() throws Exception {
        Path folder = Paths.get(SipTortureIT.class.getResource("/vectors/sip/torture").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".sip")).sorted().toList();
        }
    }

    @Test
    void survivesEveryTortureMessageOverUdpAndTcpAndStillPlacesACall() throws Exception {
        List<String> twoHundreds = new ArrayList<>();
        try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            udp.setSoTimeout(300);
            for (Path vector : vectors()) {
                byte[] message = Files.readAllBytes(vector);
                if (message.length > 65000) {
                    continue; // over UDP's datagram limit; sent over TCP below
                }
                udp.send(new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(), sipPort));
                String answer = receive(udp);
                if (answer != null && answer.startsWith("SIP/2.0 2")) {
                    twoHundreds.add(vector.getFileName() + " (UDP): " + answer.lines().findFirst().orElse(""));
                }
            }
        }
        for (Path vector : vectors()) {
            try (Socket tcp = new Socket()) {
                tcp.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), sipPort), 2000);
                tcp.setSoTimeout(300);
                OutputStream out = tcp.getOutputStream();
                out.write(Files.readAllBytes(vector));
                out.flush();
                String answer = read(tcp.getInputStream());
                if (answer != null && answer.startsWith("SIP/2.0 2")) {
                    twoHundreds.add(vector.getFileName() + " (TCP): " + answer.lines().findFirst().orElse(""));
                }
            }
        }
        assertThat(twoHundreds).as("no garbage is accepted with a 2xx").isEmpty();

        try (WebSocketTestClient client = new WebSocketTestClient(gateway.httpPort())) {
            client.send("{\"type\":\"login\",\"id\":\"1\",\"user\":\"alice\",\"password\":\"secret\"}");
            client.next("ack");
            String offer;
            try (InputStream in = getClass().getResourceAsStream("/vectors/sdp/browser/chromium-audio-offer.sdp")) {
                offer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            client.send("{\"type\":\"call\",\"id\":\"2\",\"to\":\"echo\",\"jsep\":{\"type\":\"offer\",\"sdp\":"
                    + WebSocketTestClient.quote(offer) + "}}");
            client.next("ack");
            client.next("ringing");
            client.next("answered");
        }
    }

    private static String receive(DatagramSocket socket) throws Exception {
        byte[] buffer = new byte[65535];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
            return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.ISO_8859_1);
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    private static String read(InputStream in) throws Exception {
        byte[] buffer = new byte[4096];
        try {
            int n = in.read(buffer);
            return n <= 0 ? null : new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
        } catch (SocketTimeoutException | java.net.SocketException e) {
            return null;
        }
    }
}

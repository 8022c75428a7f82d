package org.pasarela.transport.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pasarela.auth.SecurityEvent;
import org.pasarela.config.Transport;
import org.pasarela.flood.FloodGuard;
import org.pasarela.flood.FloodLimits;

/**
 * The SIP endpoint as a scanner sees it, over real UDP on loopback: requests outside any call get the same answer
 * whatever user they name, and a source that sends too many gets no answer at all, while other sources still do.
 */
class SipScannerDefenceIT {
    private static final Clock FROZEN = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);
    private final ExecutorService sender = Executors.newSingleThreadExecutor();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<SecurityEvent> events = new CopyOnWriteArrayList<>();
    private final List<DatagramSocket> sockets = new ArrayList<>();
    private SipEndpoint endpoint;
    private int port;
    private int sequence;

    private void start() throws Exception {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        endpoint = SipEndpoint.start(new SipEndpointSettings("127.0.0.1", port, port + 1, Set.of(Transport.UDP),
                "Pasarela", null, Optional.empty()), sender, scheduler);
    }

    @AfterEach
    void stop() {
        sockets.forEach(DatagramSocket::close);
        if (endpoint != null) {
            endpoint.close();
        }
        sender.shutdownNow();
        scheduler.shutdownNow();
    }

    private DatagramSocket socketOn(String address) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, 0));
        socket.setSoTimeout(400);
        sockets.add(socket);
        return socket;
    }

    /** Sends one request for {@code user} and returns the answer's status line, or null when none came. */
    private String ask(DatagramSocket socket, String method, String user) throws IOException {
        int n = ++sequence;
        String local = socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
        String uri = "sip:" + user + "@127.0.0.1:" + port;
        String message = method + " " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + local + ";branch=z9hG4bK-scan-" + n + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: \"" + user + "\" <sip:" + user + "@scanner.example>;tag=t" + n + "\r\n"
                + "To: <" + uri + ">\r\n"
                + "Call-ID: scan-" + n + "@" + local + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Contact: <sip:" + user + "@" + local + ">\r\n"
                + (method.equals("SUBSCRIBE") || method.equals("NOTIFY") || method.equals("PUBLISH")
                        ? "Event: presence\r\n" + (method.equals("NOTIFY") ? "Subscription-State: active\r\n" : "") : "")
                + (method.equals("REFER") ? "Refer-To: <sip:900123@premium.example>\r\n" : "")
                + "Content-Length: 0\r\n\r\n";
        byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName("127.0.0.1"), port));
        byte[] buffer = new byte[4096];
        DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(reply);
        } catch (SocketTimeoutException e) {
            return null;
        }
        String text = new String(buffer, 0, reply.getLength(), StandardCharsets.US_ASCII);
        return text.substring(0, text.indexOf("\r\n"));
    }

    @Test
    void answersOutsideAnyCallDependOnTheMethodAloneNeverOnTheUser() throws Exception {
        start();
        DatagramSocket scanner = socketOn("127.0.0.1");
        List<String> users = List.of("100", "1000", "alice", "admin", "00442079460000", "no-such-user-9f3a");
        String[][] expected = {
                {"OPTIONS", "SIP/2.0 200 OK"},
                {"INVITE", "SIP/2.0 480 Temporarily Unavailable"},
                {"REGISTER", "SIP/2.0 405 Method not allowed"},
                {"SUBSCRIBE", "SIP/2.0 405 Method not allowed"},
                {"NOTIFY", "SIP/2.0 405 Method not allowed"},
                {"PUBLISH", "SIP/2.0 405 Method not allowed"},
                {"MESSAGE", "SIP/2.0 405 Method not allowed"},
                {"REFER", "SIP/2.0 405 Method not allowed"},
        };
        for (String[] row : expected) {
            for (String user : users) {
                assertThat(ask(scanner, row[0], user)).as(row[0] + " for " + user).isEqualTo(row[1]);
            }
        }
    }

    @Test
    void aFloodingSourceGetsNoAnswerAndOneSipFloodEventWhileAnotherSourceIsStillAnswered() throws Exception {
        start();
        endpoint.limitFloods(new SipFloodGate(new FloodGuard(new FloodLimits(5, Duration.ofMinutes(10))),
                events::add, FROZEN, address -> false));
        DatagramSocket scanner = socketOn("127.0.0.1");
        List<String> answers = new ArrayList<>();
        for (int extension = 100; extension < 112; extension++) {
            answers.add(ask(scanner, "REGISTER", Integer.toString(extension)));
        }
        assertThat(answers.subList(0, 5)).containsOnly("SIP/2.0 405 Method not allowed");
        assertThat(answers.subList(5, 12)).containsOnlyNulls();
        assertThat(ask(scanner, "OPTIONS", "100")).as("every method is dropped during the ban").isNull();

        assertThat(events).hasSize(1);
        SecurityEvent event = events.get(0);
        assertThat(event.type()).isEqualTo(SecurityEvent.Type.SipFlood);
        assertThat(event.toLogLine()).contains("RemoteAddress=\"IPV4/UDP/127.0.0.1/" + scanner.getLocalPort() + "\"")
                .contains("more than 5 SIP requests per second");

        DatagramSocket neighbour = socketOn("127.0.0.2");
        assertThat(ask(neighbour, "OPTIONS", "100")).isEqualTo("SIP/2.0 200 OK");
    }

    @Test
    void trustedSourcesAreNeverLimited() throws Exception {
        start();
        endpoint.limitFloods(new SipFloodGate(new FloodGuard(new FloodLimits(2, Duration.ofMinutes(10))),
                events::add, FROZEN, "127.0.0.1"::equals));
        DatagramSocket proxy = socketOn("127.0.0.1");
        for (int i = 0; i < 10; i++) {
            assertThat(ask(proxy, "OPTIONS", "keepalive")).isEqualTo("SIP/2.0 200 OK");
        }
        assertThat(events).isEmpty();
    }
}

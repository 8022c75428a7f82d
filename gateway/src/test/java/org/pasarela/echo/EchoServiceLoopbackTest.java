package org.pasarela.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The echo service on real loopback sockets, driven by SIP messages written as strings. */
class EchoServiceLoopbackTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final String PCMU_OFFER = sdp("m=audio 40000 RTP/AVP 0 101",
            "a=rtpmap:0 PCMU/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16");

    private EchoService echo;
    private RawSipClient client;

    @AfterEach
    void tearDown() {
        if (client != null) client.close();
        if (echo != null) echo.close();
    }

    private static String sdp(String... media) {
        return "v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + String.join("\r\n", media) + "\r\n";
    }

    private EchoService startEcho(Duration ringingDelay, Duration maxCallDuration, int maxCalls) throws IOException {
        int port = freeSipPort();
        echo = new EchoService("127.0.0.1", port, ringingDelay, maxCallDuration, maxCalls);
        echo.start();
        client = new RawSipClient(port);
        return echo;
    }

    private static int freeSipPort() throws IOException {
        for (int i = 0; i < 50; i++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                 ServerSocket tcp = new ServerSocket()) {
                tcp.bind(new InetSocketAddress(LOOPBACK, udp.getLocalPort()));
                return udp.getLocalPort();
            } catch (SocketException taken) {
                // try another
            }
        }
        throw new IOException("no free loopback port for UDP and TCP");
    }

    private static int answeredPort(String sdp) {
        Matcher m = Pattern.compile("m=audio (\\d+) ").matcher(sdp);
        assertThat(m.find()).as("answer has an audio m= line: %s", sdp).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static byte[] echoed(int port, byte[] packet) throws IOException {
        try (DatagramSocket media = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            media.setSoTimeout(2000);
            media.send(new DatagramPacket(packet, packet.length, LOOPBACK, port));
            byte[] buf = new byte[2048];
            DatagramPacket back = new DatagramPacket(buf, buf.length);
            media.receive(back);
            assertThat(back.getPort()).isEqualTo(port);
            return Arrays.copyOf(buf, back.getLength());
        }
    }

    private static boolean udpPortFree(int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
            return true;
        } catch (SocketException inUse) {
            return false;
        }
    }

    private static void awaitPortsFree(int... ports) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (Arrays.stream(ports).allMatch(EchoServiceLoopbackTest::udpPortFree)) return;
            Thread.sleep(10);
        }
        for (int port : ports) assertThat(udpPortFree(port)).as("UDP port %d is free again", port).isTrue();
    }

    private static void awaitNoCalls(EchoService echo) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (echo.activeCalls() != 0 && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(echo.activeCalls()).isZero();
    }

    private static byte[] rtpPacket(int seq) {
        byte[] p = new byte[172];
        p[0] = (byte) 0x80;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        for (int i = 12; i < p.length; i++) p[i] = (byte) (i * 7 + seq);
        return p;
    }

    @Test
    void answersInviteEchoesRtpAndRtcpAndReleasesPortsOnBye() throws Exception {
        startEcho(Duration.ZERO, Duration.ofHours(1), 10);
        client.invite(PCMU_OFFER);

        RawSipClient.Message ringing = client.next();
        assertThat(ringing.status()).isEqualTo(180);
        RawSipClient.Message ok = client.next();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("Content-Type")).isEqualTo("application/sdp");
        assertThat(ok.toTag()).isEqualTo(ringing.toTag()).isNotNull();
        assertThat(ok.header("Contact")).contains("sip:echo@127.0.0.1:" + client.echoPort);
        int rtpPort = answeredPort(ok.body());
        assertThat(rtpPort % 2).isZero();
        assertThat(ok.body()).contains("c=IN IP4 127.0.0.1\r\n", "m=audio " + rtpPort + " RTP/AVP 0 101\r\n",
                "a=rtpmap:101 telephone-event/8000\r\n", "a=rtcp:" + (rtpPort + 1) + "\r\n");
        client.ack(ok.toTag(), 1, null);
        assertThat(echo.activeCalls()).isEqualTo(1);

        for (int seq = 0; seq < 5; seq++) {
            byte[] packet = rtpPacket(seq);
            assertThat(echoed(rtpPort, packet)).isEqualTo(packet);
        }
        byte[] rtcp = {(byte) 0x80, (byte) 201, 0, 1, 1, 2, 3, 4};
        assertThat(echoed(rtpPort + 1, rtcp)).isEqualTo(rtcp);

        client.bye(ok.toTag(), 2);
        assertThat(client.expect(200, "BYE").status()).isEqualTo(200);
        assertThat(echo.activeCalls()).isZero();
        awaitPortsFree(rtpPort, rtpPort + 1);
    }

    @Test
    void cancelWhileRingingGets487AndReleasesTheCall() throws Exception {
        startEcho(Duration.ofSeconds(30), Duration.ofHours(1), 10);
        client.invite(PCMU_OFFER);
        RawSipClient.Message ringing = client.next();
        assertThat(ringing.status()).isEqualTo(180);
        assertThat(echo.activeCalls()).isEqualTo(1);

        client.cancel();
        assertThat(client.expect(200, "CANCEL").status()).isEqualTo(200);
        RawSipClient.Message terminated = client.expect(487, "INVITE");
        assertThat(terminated.firstLine()).isEqualTo("SIP/2.0 487 Request Terminated");
        client.ackFailure(terminated.toTag());
        awaitNoCalls(echo);
    }

    @Test
    void offerWithOnlyG729Gets488WithWarning() throws Exception {
        startEcho(Duration.ZERO, Duration.ofHours(1), 10);
        client.invite(sdp("m=audio 40000 RTP/AVP 18", "a=rtpmap:18 G729/8000"));
        RawSipClient.Message rejected = client.next();
        assertThat(rejected.firstLine()).isEqualTo("SIP/2.0 488 Not Acceptable Here");
        assertThat(rejected.header("Warning")).startsWith("305 127.0.0.1:" + client.echoPort)
                .contains("no supported codec", "G729/8000");
        client.ackFailure(rejected.toTag());
        assertThat(echo.activeCalls()).isZero();
    }

    @Test
    void inviteWithoutSdpGetsAnOfferAndTheAnswerComesInAck() throws Exception {
        startEcho(Duration.ZERO, Duration.ofHours(1), 10);
        client.invite(null);
        assertThat(client.next().status()).isEqualTo(180);
        RawSipClient.Message ok = client.next();
        assertThat(ok.status()).isEqualTo(200);
        int rtpPort = answeredPort(ok.body());
        assertThat(ok.body()).contains("m=audio " + rtpPort + " RTP/AVP 0 8 101\r\n");
        client.ack(ok.toTag(), 1, sdp("m=audio 40000 RTP/AVP 8", "a=rtpmap:8 PCMA/8000"));

        byte[] packet = rtpPacket(1);
        assertThat(echoed(rtpPort, packet)).isEqualTo(packet);
        assertThat(echo.activeCalls()).isEqualTo(1);
        client.bye(ok.toTag(), 2);
        client.expect(200, "BYE");
        awaitPortsFree(rtpPort, rtpPort + 1);
    }

    @Test
    void reInviteIsAnsweredOnTheSameRtpPort() throws Exception {
        startEcho(Duration.ZERO, Duration.ofHours(1), 10);
        client.invite(PCMU_OFFER);
        client.next();
        RawSipClient.Message ok = client.next();
        int rtpPort = answeredPort(ok.body());
        client.ack(ok.toTag(), 1, null);

        client.reInvite(ok.toTag(), 2, sdp("m=audio 40002 RTP/AVP 8 0", "a=sendonly"));
        RawSipClient.Message reOk = client.expect(200, "INVITE");
        assertThat(answeredPort(reOk.body())).isEqualTo(rtpPort);
        assertThat(reOk.body()).contains("RTP/AVP 8\r\n", "a=recvonly\r\n", " 2 IN IP4 127.0.0.1");
        client.ack(ok.toTag(), 2, null);
        assertThat(echo.activeCalls()).isEqualTo(1);
    }

    @Test
    void optionsGets200WithAllowAndAccept() throws Exception {
        startEcho(Duration.ZERO, Duration.ofHours(1), 10);
        client.outOfDialog("OPTIONS");
        RawSipClient.Message ok = client.next();
        assertThat(ok.firstLine()).isEqualTo("SIP/2.0 200 OK");
        assertThat(ok.raw()).contains("Allow: INVITE", "Accept: application/sdp");
    }

    @Test
    void unknownMethodGets501AndKnownUnsupportedGets405() throws Exception {
        startEcho(Duration.ZERO, Duration.ofHours(1), 10);
        client.outOfDialog("FROBNICATE");
        assertThat(client.next().firstLine()).isEqualTo("SIP/2.0 501 Not Implemented");
        client.outOfDialog("MESSAGE");
        RawSipClient.Message notAllowed = client.next();
        assertThat(notAllowed.firstLine()).isEqualTo("SIP/2.0 405 Method Not Allowed");
        assertThat(notAllowed.raw()).contains("Allow: INVITE");
    }

    @Test
    void callsBeyondTheLimitGet486() throws Exception {
        startEcho(Duration.ofSeconds(30), Duration.ofHours(1), 1);
        client.invite(PCMU_OFFER);
        assertThat(client.next().status()).isEqualTo(180);
        try (RawSipClient second = new RawSipClient(client.echoPort)) {
            second.invite(PCMU_OFFER);
            assertThat(second.next().firstLine()).isEqualTo("SIP/2.0 486 Busy Here");
        }
        assertThat(echo.activeCalls()).isEqualTo(1);
    }

    @Test
    void endsCallWithByeAfterMaxCallDuration() throws Exception {
        startEcho(Duration.ZERO, Duration.ofMillis(300), 10);
        client.invite(PCMU_OFFER);
        client.next();
        RawSipClient.Message ok = client.next();
        int rtpPort = answeredPort(ok.body());
        client.ack(ok.toTag(), 1, null);

        RawSipClient.Message bye = client.next();
        assertThat(bye.firstLine()).startsWith("BYE sip:alice@127.0.0.1:" + client.localPort());
        client.ok(bye);
        assertThat(echo.activeCalls()).isZero();
        awaitPortsFree(rtpPort, rtpPort + 1);
    }

    @Test
    void closeWithAnActiveCallReleasesEverythingPromptly() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        startEcho(Duration.ZERO, Duration.ofHours(1), 10);
        client.invite(PCMU_OFFER);
        client.next();
        RawSipClient.Message ok = client.next();
        int rtpPort = answeredPort(ok.body());
        client.ack(ok.toTag(), 1, null);
        assertThat(echo.activeCalls()).isEqualTo(1);

        long start = System.nanoTime();
        echo.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));

        assertThat(client.next().firstLine()).as("the call is ended with BYE").startsWith("BYE ");
        assertThat(echo.activeCalls()).isZero();
        awaitPortsFree(rtpPort, rtpPort + 1, client.echoPort);
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.bind(new InetSocketAddress(LOOPBACK, client.echoPort));
        }
        awaitNoNewNonDaemonThreads(before);
    }

    private static void awaitNoNewNonDaemonThreads(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        Set<String> leftovers;
        do {
            leftovers = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && t.isAlive() && !t.isDaemon())
                    .map(Thread::getName).collect(Collectors.toSet());
            if (leftovers.isEmpty()) return;
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        assertThat(leftovers).as("non-daemon threads left after close()").isEmpty();
    }

    @Test
    void secondInstanceOnTheSamePortFailsWithAClearMessage() throws Exception {
        startEcho(Duration.ZERO, Duration.ofHours(1), 10);
        try (EchoService second = new EchoService("127.0.0.1", client.echoPort)) {
            assertThatThrownBy(second::start)
                    .isInstanceOf(EchoServiceException.class)
                    .hasMessage("echo service: cannot listen on 127.0.0.1:" + client.echoPort
                            + "/udp: Address already in use");
        }
        client.outOfDialog("OPTIONS");
        assertThat(client.next().status()).as("the first instance still answers").isEqualTo(200);
    }

    @Test
    void writesNoLogFilesToTheWorkingDirectory() throws Exception {
        File cwd = new File(".").getAbsoluteFile();
        Set<String> before = Set.of(cwd.list());
        startEcho(Duration.ZERO, Duration.ofHours(1), 10);
        client.outOfDialog("OPTIONS");
        client.next();
        echo.close();
        assertThat(Arrays.stream(cwd.list()).filter(name -> !before.contains(name))
                .filter(name -> name.endsWith(".txt") || name.endsWith(".log") || name.endsWith(".xml")))
                .isEmpty();
    }
}

package org.pasarela.transport.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pasarela.config.RegistrationSettings;
import org.pasarela.config.SipProfile;
import org.pasarela.config.SipUri;
import org.pasarela.config.Transport;
import org.pasarela.dialplan.InboundRoute;
import org.pasarela.transport.sip.InboundTestEndpoint.Offered;
import org.pasarela.transport.sip.ScriptedCaller.Message;

/**
 * An INVITE that a registrar relays over TCP, on a connection it opened to the gateway (as Kamailio does for a
 * Contact with {@code ;transport=tcp}): rule (1) of the router trusts the connection's peer address, the leg
 * answers on that connection with a Contact on TCP, and the same INVITE from another address is refused.
 */
class SipInboundTcpIT {
    private static final String OFFER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    private static final String REGISTERED = ";transport=tcp;pasarela-user=alice;pasarela-profile=pbx";

    static InboundTestEndpoint sip;
    static SipEndpoint endpoint;
    static int port;
    static BlockingQueue<Offered> offered;
    static BlockingQueue<InboundRoute.Refuse> refused;

    @BeforeAll
    static void start() throws Exception {
        SipProfile pbx = SipProfile.builder("pbx", SipUri.parse("sip:127.0.0.1:5999")).transport(Transport.TCP)
                .registration(new RegistrationSettings("{user}", "pbx.example.org", 600)).build();
        sip = new InboundTestEndpoint(Set.of(Transport.UDP, Transport.TCP), List.of(pbx));
        endpoint = sip.endpoint;
        port = sip.port;
        offered = sip.offered;
        refused = sip.refused;
        long end = System.nanoTime() + 3_000_000_000L;
        while (!endpoint.proxyAddresses().containsKey("pbx") && System.nanoTime() < end) {
            Thread.sleep(20);
        }
    }

    @AfterAll
    static void stop() {
        sip.close();
    }

    @Test
    void ringsARegisteredUserWhenItsProxyRelaysTheInviteOverTcp() throws Exception {
        try (TcpProxy proxy = new TcpProxy("127.0.0.1")) {
            proxy.invite("alice", REGISTERED);
            Offered o = offered.poll(3, TimeUnit.SECONDS);
            assertThat(o).as("the handler got the INVITE").isNotNull();
            assertThat(o.route()).isInstanceOf(InboundRoute.ToUser.class);
            assertThat(o.request().transport()).isEqualTo(Transport.TCP);
            assertThat(o.request().sourceAddress()).isEqualTo("127.0.0.1");
            assertThat(o.request().sourcePort()).isEqualTo(proxy.localPort());
            o.leg().sendRinging();
            Message ringing = proxy.expect(180);
            assertThat(ringing.header("Contact")).contains("127.0.0.1:" + port).contains("transport=tcp");
            o.leg().forget();
            assertThat(proxy.expect(480)).isNotNull();
        }
        awaitNoInboundLegs();
    }

    @Test
    void refusesTheSameInviteOverTcpFromAnAddressThatIsNotTheProxy() throws Exception {
        refused.clear();
        try (TcpProxy stranger = new TcpProxy("127.0.0.2")) {
            stranger.invite("alice", REGISTERED);
            assertThat(stranger.expect(403).reason()).isEqualTo("Forbidden");
        }
        assertThat(offered.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(refused.poll(1, TimeUnit.SECONDS)).isNotNull();
        assertThat(endpoint.activeInboundLegs()).isZero();
    }

    private static void awaitNoInboundLegs() throws InterruptedException {
        long end = System.nanoTime() + 3_000_000_000L;
        while (endpoint.activeInboundLegs() > 0 && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(endpoint.activeInboundLegs()).isZero();
    }

    /** A proxy relaying one INVITE to the gateway over a TCP connection it opens from {@code bindAddress}. */
    private static final class TcpProxy implements AutoCloseable {
        private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^(?:Content-Length|l)\\s*:\\s*(\\d+)");
        private final Socket socket = new Socket();
        private final StringBuilder buffer = new StringBuilder();

        TcpProxy(String bindAddress) throws IOException {
            socket.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 3000);
            socket.setSoTimeout(3000);
        }

        int localPort() {
            return socket.getLocalPort();
        }

        void invite(String user, String uriParams) throws IOException {
            String host = socket.getLocalAddress().getHostAddress();
            String requestUri = "sip:" + user + "@127.0.0.1:" + port + uriParams;
            byte[] body = OFFER.getBytes(StandardCharsets.UTF_8);
            String invite = "INVITE " + requestUri + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/TCP " + host + ":5999;branch=z9hG4bK" + UUID.randomUUID().toString()
                    .replace("-", "").substring(0, 16) + "\r\n"
                    + "Max-Forwards: 69\r\n"
                    + "From: <sip:1000@" + host + ">;tag=t" + UUID.randomUUID().toString().substring(0, 8) + "\r\n"
                    + "To: <sip:" + user + "@pbx.example.org>\r\n"
                    + "Call-ID: " + UUID.randomUUID() + "@proxy\r\n"
                    + "CSeq: 1 INVITE\r\n"
                    + "Contact: <sip:1000@" + host + ":5999;transport=tcp>\r\n"
                    + "Content-Type: application/sdp\r\nContent-Length: " + body.length + "\r\n\r\n" + OFFER;
            socket.getOutputStream().write(invite.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
        }

        /** Reads framed messages until a response with {@code status} arrives; fails after 3 s. */
        Message expect(int status) throws IOException {
            long end = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < end) {
                Message m = next();
                if (m.status() == status) {
                    return m;
                }
            }
            throw new AssertionError("no " + status + " within 3 s");
        }

        /** One message off the stream, framed by Content-Length (RFC 3261 §18.3). */
        private Message next() throws IOException {
            InputStream in = socket.getInputStream();
            byte[] chunk = new byte[4096];
            for (;;) {
                int headEnd = buffer.indexOf("\r\n\r\n");
                if (headEnd >= 0) {
                    Matcher length = CONTENT_LENGTH.matcher(buffer.substring(0, headEnd));
                    int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
                    int total = headEnd + 4 + bodyLength;
                    if (buffer.length() >= total) {
                        String raw = buffer.substring(0, total);
                        buffer.delete(0, total);
                        return ScriptedCaller.parse(raw);
                    }
                }
                int n = in.read(chunk);
                if (n < 0) {
                    throw new AssertionError("the gateway closed the connection");
                }
                buffer.append(new String(chunk, 0, n, StandardCharsets.US_ASCII));
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}

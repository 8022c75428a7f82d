package org.pasarela.transport.rtp;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.pasarela.bridge.BridgedAnswer;
import org.pasarela.bridge.BridgedCodec;
import org.pasarela.bridge.BrowserPeer;
import org.pasarela.bridge.DtlsSetup;
import org.pasarela.bridge.LocalMedia;
import org.pasarela.bridge.SipRemoteMedia;
import org.pasarela.media.PacketKind;
import org.pasarela.sdp.SdpParser;
import org.pasarela.srtp.SrtpTransformer;
import org.pasarela.stun.StunIntegrity;
import org.pasarela.stun.StunMessage;
import org.pasarela.stun.StunWriter;
import org.pasarela.transport.dtls.Certificates;
import org.pasarela.transport.dtls.DtlsCertificate;
import org.pasarela.transport.dtls.DtlsEndpoint;
import org.pasarela.transport.dtls.DtlsOptions;
import org.pasarela.transport.dtls.DtlsRole;
import org.pasarela.transport.dtls.Fingerprint;
import org.pasarela.transport.dtls.SrtpKeyingMaterial;

/**
 * One call through a real {@link MediaRelay} on loopback, both ends in the test JVM: a browser (ICE check with
 * USE-CANDIDATE, DTLS client, SRTP) and a SIP far end that echoes every RTP packet back. {@link #roundTrip} sends
 * one voice packet and waits for the echo's copy: two packets relayed, one each way. The relay must use
 * {@link GatewayCertificate#get()}.
 */
final class LoopbackCall implements AutoCloseable {
    private static final String GATEWAY_UFRAG = "gwU1";
    private static final String GATEWAY_PWD = "gatewayPasswordGateway1";
    private static final String BROWSER_UFRAG = "brU1";

    final MediaPorts ports;
    final MediaRelay.Handle handle;
    final LinkedBlockingQueue<String> lost = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<String> connected = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<byte[]> media = new LinkedBlockingQueue<>();
    private final DtlsCertificate browserCertificate =
            Certificates.generateEcdsaP256(new SecureRandom(), Instant.now());
    private final DatagramSocket browser;
    private final DatagramSocket farEnd;
    private final InetSocketAddress gateway;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final byte[] voice = new byte[160];
    private volatile DtlsEndpoint dtls;
    private volatile boolean closed;
    private SrtpTransformer srtp;
    private int sequence = 1;

    LoopbackCall(MediaRelay relay, PortAllocator allocator, String callId)
            throws Exception {
        this(relay, allocator, callId, null);
    }

    /**
     * A call whose SIP side sends to {@code sipFarEnd}, a socket of the test's (which then sees plain RTP and echoes
     * nothing), or to an echo of its own when null.
     */
    LoopbackCall(MediaRelay relay, PortAllocator allocator, String callId, InetSocketAddress sipFarEnd)
            throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        browser = new DatagramSocket(0, loopback);
        farEnd = new DatagramSocket(0, loopback);
        int farEndPort = sipFarEnd == null ? farEnd.getLocalPort() : sipFarEnd.getPort();
        ports = allocator.allocate();
        gateway = new InetSocketAddress(loopback, ports.browserPort());
        Arrays.fill(voice, (byte) 0x55);
        LocalMedia local = new LocalMedia("127.0.0.1", ports.browserPort(), ports.sipRtpPort(), GATEWAY_UFRAG,
                GATEWAY_PWD, GatewayCertificate.get().fingerprintSha256(), 1, 1);
        // The gateway answered a=setup:active: it is the DTLS client, so nothing runs until the ICE check.
        BrowserPeer peer = new BrowserPeer(BROWSER_UFRAG,
                List.of("sha-256 " + browserCertificate.fingerprintSha256()), DtlsSetup.ACTIVE);
        BridgedAnswer answer = new BridgedAnswer(
                SdpParser.parse("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"),
                new SipRemoteMedia("127.0.0.1", farEndPort, farEndPort, true),
                new BridgedCodec(0, 0, "PCMU", 8000), Optional.empty());
        handle = relay.open(callId, ports, local, peer, answer, new MediaEvents() {
            @Override
            public void connected(String description) {
                connected.add(description);
            }

            @Override
            public void lost(String reason) {
                lost.add(reason);
            }
        });
        threads.execute(this::browserReceives);
        if (sipFarEnd == null) {
            threads.execute(this::farEndEchoes);
        }
    }

    /** ICE check (nominating), the DTLS handshake with the gateway as client, then SRTP keys on both sides. */
    LoopbackCall connect() throws Exception {
        dtls = new DtlsEndpoint(DtlsRole.SERVER, browserCertificate,
                List.of(Fingerprint.parse("sha-256 " + GatewayCertificate.get().fingerprintSha256())),
                DtlsOptions.defaults(), (data, off, len) -> send(data, off, len), threads);
        var keys = dtls.start();
        byte[] request = new byte[256];
        byte[] id = new byte[12];
        new SecureRandom().nextBytes(id);
        int length = new StunWriter().start(request, 0, StunMessage.BINDING_REQUEST, id, 0)
                .username((GATEWAY_UFRAG + ":" + BROWSER_UFRAG).getBytes(StandardCharsets.UTF_8))
                .priority(2122260223L).iceControlling(42L).useCandidate()
                .messageIntegrity(StunIntegrity.forPassword(GATEWAY_PWD)).fingerprint().length();
        send(request, 0, length);
        SrtpKeyingMaterial k = keys.get(10, TimeUnit.SECONDS);
        srtp = new SrtpTransformer(k.profile(), k.localMasterKey(), k.localMasterSalt(), k.remoteMasterKey(),
                k.remoteMasterSalt());
        if (connected.poll(5, TimeUnit.SECONDS) == null) {
            throw new AssertionError("the relay never reported the call connected");
        }
        return this;
    }

    /**
     * One voice packet from the browser, through the relay to the far end, echoed, and back through the relay:
     * true when its decrypted copy arrives within {@code timeoutMs}.
     */
    boolean roundTrip(long timeoutMs) throws Exception {
        sendVoice();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (long left = timeoutMs; left > 0; left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) {
            byte[] back = media.poll(left, TimeUnit.MILLISECONDS);
            if (back != null && srtp.unprotect(back, 0, back.length) == 12 + voice.length
                    && back[12] == voice[0]) {
                return true;
            }
        }
        return false;
    }

    /** One SRTP voice packet from the browser to the relay, the next in sequence; returns at once. */
    void sendVoice() {
        int seq = sequence++;
        byte[] packet = new byte[12 + voice.length + 16];
        packet[0] = (byte) 0x80;
        packet[2] = (byte) (seq >> 8);
        packet[3] = (byte) seq;
        int timestamp = 160 * seq;
        for (int i = 0; i < 4; i++) {
            packet[4 + i] = (byte) (timestamp >>> (24 - 8 * i));
            packet[8 + i] = (byte) (0x11223344 >>> (24 - 8 * i));
        }
        System.arraycopy(voice, 0, packet, 12, voice.length);
        send(packet, 0, srtp.protect(packet, 0, 12 + voice.length));
    }

    /** {@code count} round trips in a row, each within a second; the number that came back. */
    int roundTrips(int count) throws Exception {
        int ok = 0;
        for (int i = 0; i < count; i++) {
            if (roundTrip(1000)) {
                ok++;
            }
        }
        return ok;
    }

    private void send(byte[] data, int off, int len) {
        try {
            browser.send(new DatagramPacket(data, off, len, gateway));
        } catch (Exception e) {
            // a test that needs the packet notices it missing
        }
    }

    private void browserReceives() {
        byte[] buffer = new byte[2048];
        while (!closed) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                browser.setSoTimeout(200);
                browser.receive(packet);
                byte[] copy = Arrays.copyOf(packet.getData(), packet.getLength());
                DtlsEndpoint endpoint = dtls;
                PacketKind kind = PacketKind.classify(copy, 0, copy.length);
                if (kind == PacketKind.DTLS && endpoint != null) {
                    endpoint.receive(copy, 0, copy.length);
                } else if (kind == PacketKind.RTP) {
                    media.add(copy);
                }
            } catch (SocketTimeoutException e) {
                // look at closed again
            } catch (Exception e) {
                return;
            }
        }
    }

    private void farEndEchoes() {
        byte[] buffer = new byte[2048];
        while (!closed) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                farEnd.setSoTimeout(200);
                farEnd.receive(packet);
                farEnd.send(new DatagramPacket(buffer, packet.getLength(), packet.getSocketAddress()));
            } catch (SocketTimeoutException e) {
                // look at closed again
            } catch (Exception e) {
                return;
            }
        }
    }

    /** Ends the call as its owner does: the media first, then the sockets. */
    @Override
    public void close() {
        closed = true;
        handle.close();
        ports.close();
        if (dtls != null) {
            dtls.close();
        }
        browser.close();
        farEnd.close();
        threads.shutdownNow();
    }

    /** One gateway certificate for every test call (ECDSA key generation is the slow part of a call's set-up). */
    static final class GatewayCertificate {
        private static final DtlsCertificate CERTIFICATE =
                Certificates.generateEcdsaP256(new SecureRandom(), Instant.now());

        static DtlsCertificate get() {
            return CERTIFICATE;
        }
    }
}

package org.pasarela.app;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pasarela.media.PacketKind;
import org.pasarela.srtp.SrtpTransformer;
import org.pasarela.stun.StunIntegrity;
import org.pasarela.stun.StunMessage;
import org.pasarela.stun.StunParser;
import org.pasarela.stun.StunWriter;
import org.pasarela.transport.dtls.Certificates;
import org.pasarela.transport.dtls.DtlsCertificate;
import org.pasarela.transport.dtls.DtlsEndpoint;
import org.pasarela.transport.dtls.DtlsOptions;
import org.pasarela.transport.dtls.DtlsRole;
import org.pasarela.transport.dtls.Fingerprint;
import org.pasarela.transport.dtls.SrtpKeyingMaterial;

/**
 * The media half of a browser, in the test JVM: it offers its own ICE credentials and certificate, runs a
 * controlling ICE check with USE-CANDIDATE against the gateway's candidate, the DTLS client handshake, and
 * then sends and receives SRTP. Enough to prove the relay end to end without Chromium.
 */
final class BrowserMediaPeer implements AutoCloseable {
    final String ufrag = "tstU";
    final String pwd = "testPasswordTestPassword";
    private final DtlsCertificate certificate = Certificates.generateEcdsaP256(new SecureRandom(), Instant.now());
    private final DatagramSocket socket;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final LinkedBlockingQueue<byte[]> media = new LinkedBlockingQueue<>();
    private volatile DtlsEndpoint dtls;
    private volatile boolean closed;
    private InetSocketAddress gateway;
    private SrtpTransformer srtp;

    BrowserMediaPeer() throws Exception {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        threads.execute(this::receiveLoop);
    }

    /** A Chromium offer with this peer's ICE credentials, fingerprint and loopback candidate. */
    String offer(String chromiumOffer) {
        return chromiumOffer
                .replaceAll("a=ice-ufrag:[^\\r\\n]+", "a=ice-ufrag:" + ufrag)
                .replaceAll("a=ice-pwd:[^\\r\\n]+", "a=ice-pwd:" + pwd)
                .replaceAll("a=fingerprint:[^\\r\\n]+", "a=fingerprint:sha-256 " + certificate.fingerprintSha256());
    }

    /** ICE check (nominating), then the DTLS handshake; returns the negotiated SRTP keys. */
    SrtpKeyingMaterial connect(String answerSdp) throws Exception {
        gateway = candidate(answerSdp);
        String gwUfrag = attribute(answerSdp, "ice-ufrag");
        String gwPwd = attribute(answerSdp, "ice-pwd");
        byte[] request = new byte[256];
        byte[] id = new byte[12];
        new SecureRandom().nextBytes(id);
        int length = new StunWriter().start(request, 0, StunMessage.BINDING_REQUEST, id, 0)
                .username((gwUfrag + ":" + ufrag).getBytes(StandardCharsets.UTF_8))
                .priority(2122260223L).iceControlling(42L).useCandidate()
                .messageIntegrity(StunIntegrity.forPassword(gwPwd)).fingerprint().length();
        socket.send(new DatagramPacket(request, length, gateway));
        byte[] response = media.poll(5, TimeUnit.SECONDS);
        if (response == null) {
            throw new AssertionError("no answer to the ICE check from " + gateway);
        }
        StunMessage parsed = StunParser.parse(response, 0, response.length);
        if (parsed.type() != StunMessage.BINDING_SUCCESS_RESPONSE
                || !StunIntegrity.forPassword(gwPwd).verify(parsed)) {
            throw new AssertionError("ICE check was not accepted: type 0x" + Integer.toHexString(parsed.type()));
        }
        dtls = new DtlsEndpoint(DtlsRole.CLIENT, certificate,
                List.of(Fingerprint.parse(attribute(answerSdp, "fingerprint"))), DtlsOptions.defaults(),
                (data, off, len) -> send(data, off, len), threads);
        SrtpKeyingMaterial keys = dtls.start().get(10, TimeUnit.SECONDS);
        srtp = new SrtpTransformer(keys.profile(), keys.localMasterKey(), keys.localMasterSalt(),
                keys.remoteMasterKey(), keys.remoteMasterSalt());
        return keys;
    }

    /** Sends one PCMU RTP packet with the given payload, protected. */
    void sendRtp(int ssrc, int sequence, int timestamp, byte[] payload) throws Exception {
        byte[] packet = new byte[12 + payload.length + 16];
        packet[0] = (byte) 0x80;
        packet[1] = 0; // PCMU
        packet[2] = (byte) (sequence >> 8);
        packet[3] = (byte) sequence;
        for (int i = 0; i < 4; i++) {
            packet[4 + i] = (byte) (timestamp >>> (24 - 8 * i));
            packet[8 + i] = (byte) (ssrc >>> (24 - 8 * i));
        }
        System.arraycopy(payload, 0, packet, 12, payload.length);
        int protectedLength = srtp.protect(packet, 0, 12 + payload.length);
        send(packet, 0, protectedLength);
    }

    /** The payload of the next SRTP packet from the gateway that decrypts, or null. */
    byte[] receiveRtpPayload(long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            byte[] packet = media.poll(100, TimeUnit.MILLISECONDS);
            if (packet == null || PacketKind.classify(packet, 0, packet.length) != PacketKind.RTP) {
                continue;
            }
            int length = srtp.unprotect(packet, 0, packet.length);
            if (length > 12) {
                byte[] payload = new byte[length - 12];
                System.arraycopy(packet, 12, payload, 0, payload.length);
                return payload;
            }
        }
        return null;
    }

    private void send(byte[] data, int off, int len) {
        try {
            socket.send(new DatagramPacket(data, off, len, gateway));
        } catch (Exception e) {
            // the test notices missing packets
        }
    }

    private void receiveLoop() {
        byte[] buffer = new byte[2048];
        while (!closed) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.setSoTimeout(200);
                socket.receive(packet);
                byte[] copy = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
                DtlsEndpoint endpoint = dtls;
                if (PacketKind.classify(copy, 0, copy.length) == PacketKind.DTLS && endpoint != null) {
                    endpoint.receive(copy, 0, copy.length);
                } else {
                    media.add(copy);
                }
            } catch (SocketTimeoutException e) {
                // look at closed again
            } catch (Exception e) {
                return;
            }
        }
    }

    private static InetSocketAddress candidate(String sdp) {
        Matcher m = Pattern.compile("a=candidate:\\S+ 1 udp \\d+ (\\S+) (\\d+) typ host").matcher(sdp);
        if (!m.find()) {
            throw new AssertionError("no host candidate in the answer:\n" + sdp);
        }
        return new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
    }

    private static String attribute(String sdp, String name) {
        Matcher m = Pattern.compile("a=" + name + ":([^\\r\\n]+)").matcher(sdp);
        if (!m.find()) {
            throw new AssertionError("no a=" + name + " in the answer:\n" + sdp);
        }
        return m.group(1).trim();
    }

    @Override
    public void close() {
        closed = true;
        if (dtls != null) {
            dtls.close();
        }
        socket.close();
        threads.shutdownNow();
    }
}

package org.pasarela.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pasarela.srtp.SrtpTransformer;
import org.pasarela.stun.StunIntegrity;
import org.pasarela.stun.StunMessage;
import org.pasarela.stun.StunWriter;
import org.pasarela.transport.dtls.DtlsCertificate;
import org.pasarela.transport.dtls.DtlsEndpoint;
import org.pasarela.transport.dtls.DtlsOptions;
import org.pasarela.transport.dtls.DtlsRole;
import org.pasarela.transport.dtls.Fingerprint;
import org.pasarela.transport.dtls.SrtpKeyingMaterial;

/**
 * One browser call, the lean way: a WebSocket, one UDP socket, a Chromium offer carrying this call's ICE
 * credentials, fingerprint and socket as its only candidate; the controlling ICE check with USE-CANDIDATE, the
 * DTLS client handshake, then SRTP both ways (sent by {@link MediaIo}). Setup runs on the caller's thread.
 */
final class LeanCall {
    private static final SecureRandom RANDOM = new SecureRandom();

    final int index;
    final DatagramChannel channel;
    final int localPort;
    final String ufrag;
    final String pwd;
    volatile InetSocketAddress gateway;
    volatile DtlsEndpoint dtls;
    volatile SrtpTransformer srtpOut;
    volatile SrtpTransformer srtpIn;
    volatile boolean media;
    /** Plain RTP to {@link #gateway} (the echo-alone baseline): no ICE, DTLS or SRTP. */
    volatile boolean plain;
    volatile boolean dropped;
    volatile String dropReason;
    final CompletableFuture<Boolean> iceAnswered = new CompletableFuture<>();
    Signaling signaling;
    String callId;
    boolean janus;
    long janusSession;
    long janusHandle;
    volatile boolean hangingUp;
    String gwUfrag;
    String gwPwd;
    int ssrc = RANDOM.nextInt();
    int sequence = RANDOM.nextInt(0x10000);
    int timestamp = RANDOM.nextInt();
    long nextConsentNanos;
    // counters: sender thread writes sent/sendFailed, receiver thread writes the rest
    volatile long sent;
    volatile long sendFailed;
    volatile long received;
    volatile long rtcpReceived;
    volatile long unprotectFailed;
    // setup timing, nanoseconds since the call request was sent
    long answeredNanos;
    long connectedNanos;
    /** CPU time this client's own side of the DTLS handshake took: the part of the setup time that is not the gateway's. */
    volatile long clientDtlsCpuNanos;
    final CompletableFuture<Void> hungUp = new CompletableFuture<>();

    final String bindAddress;

    LeanCall(int index, String bindAddress) throws Exception {
        this.index = index;
        this.bindAddress = bindAddress;
        channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.bind(new InetSocketAddress(bindAddress, 0));
        localPort = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        ufrag = "L" + Integer.toString(index, 36) + Integer.toString(RANDOM.nextInt(1 << 20), 36);
        pwd = Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36) + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
    }

    String offer(String template, DtlsCertificate cert) {
        String sdp = template
                .replaceAll("a=ice-ufrag:[^\\r\\n]+", "a=ice-ufrag:" + ufrag)
                .replaceAll("a=ice-pwd:[^\\r\\n]+", "a=ice-pwd:" + pwd)
                .replaceAll("a=fingerprint:[^\\r\\n]+", "a=fingerprint:sha-256 " + cert.fingerprintSha256())
                .replaceAll("a=candidate:[^\\r\\n]+\\r\\n", "")
                .replaceAll("c=IN IP4 [^\\r\\n]+", "c=IN IP4 " + bindAddress)
                .replaceAll("m=audio \\d+", "m=audio " + localPort)
                // the SSRC we send with, as a browser announces it (Janus drops packets of an unannounced SSRC)
                .replaceAll("a=ssrc:\\d+", "a=ssrc:" + (ssrc & 0xffffffffL));
        return sdp.replace("a=ice-options:trickle\r\n", "a=ice-options:trickle\r\na=candidate:1 1 udp 2122260223 " + bindAddress + " "
                + localPort + " typ host generation 0\r\n");
    }

    /** Runs each task on {@code pool}, adding the CPU time of its thread during the task to {@link #clientDtlsCpuNanos}. */
    private Executor cpuTimed(Executor pool) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        return task -> pool.execute(() -> {
            long cpu0 = threads.getCurrentThreadCpuTime();
            try {
                task.run();
            } finally {
                clientDtlsCpuNanos += threads.getCurrentThreadCpuTime() - cpu0;
            }
        });
    }

    /**
     * Login, call, answered, ICE, DTLS; returns when SRTP keys are in place. Times are recorded from the moment
     * the {@code call} request leaves.
     */
    void setup(Signaling ws, String user, String password, String profile, String to, String offerTemplate,
               DtlsCertificate cert, Executor dtlsPool, MediaIo io, boolean loginFirst) throws Exception {
        signaling = ws;
        if (loginFirst) {
            ObjectNode login = ws.message("login").put("user", user).put("password", password);
            String id = ws.request(login);
            ws.await("ack of login", m -> id.equals(m.path("id").asText()), 10_000);
        }
        ObjectNode call = ws.message("call").put("to", to);
        if (profile != null) call.put("profile", profile);
        call.putObject("jsep").put("type", "offer").put("sdp", offer(offerTemplate, cert));
        long t0 = System.nanoTime();
        String id = ws.request(call);
        callId = ws.await("ack of call", m -> id.equals(m.path("id").asText()), 10_000).path("call").asText();
        JsonNode answered = ws.await("answered", m -> "answered".equals(m.path("type").asText()), 15_000);
        answeredNanos = System.nanoTime() - t0;
        String sdp = answered.path("jsep").path("sdp").asText();
        gateway = candidate(sdp);
        gwUfrag = attribute(sdp, "ice-ufrag");
        gwPwd = attribute(sdp, "ice-pwd");
        io.register(this);
        for (int attempt = 0; attempt < 50 && !iceAnswered.isDone(); attempt++) {
            sendBindingRequest(true);
            try {
                iceAnswered.get(attempt < 10 ? 50 : 200, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // retransmit
            }
        }
        if (!iceAnswered.isDone()) throw new IllegalStateException("no answer to the ICE check from " + gateway);
        dtls = new DtlsEndpoint(DtlsRole.CLIENT, cert, List.of(Fingerprint.parse(attribute(sdp, "fingerprint"))),
                DtlsOptions.defaults().withHandshakeTimeout(java.time.Duration.ofSeconds(30)), this::sendRaw,
                cpuTimed(dtlsPool));
        SrtpKeyingMaterial keys = dtls.start().get(35, TimeUnit.SECONDS);
        srtpOut = new SrtpTransformer(keys.profile(), keys.localMasterKey(), keys.localMasterSalt(),
                keys.remoteMasterKey(), keys.remoteMasterSalt());
        srtpIn = new SrtpTransformer(keys.profile(), keys.localMasterKey(), keys.localMasterSalt(),
                keys.remoteMasterKey(), keys.remoteMasterSalt());
        connectedNanos = System.nanoTime() - t0;
        nextConsentNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(4) + RANDOM.nextInt(2_000_000_000);
        ws.listen(m -> {
            String type = m.path("type").asText();
            if ("hangup".equals(type) || "ws-closed".equals(type)) {
                if (!hungUp.isDone() && hangingUp) {
                    hungUp.complete(null);
                } else if (!hungUp.isDone()) {
                    dropped = true;
                    dropReason = m.toString();
                    media = false;
                    hungUp.complete(null);
                }
            }
        });
    }

    /**
     * The same call through Janus's SIP plugin: create, attach janus.plugin.sip, register as guest, call
     * {@code sipUri} with the offer, "accepted" with the answer. Janus is a full ICE agent and the DTLS client
     * (a=setup:active in its answer), so we answer its checks (in {@link MediaIo}) and are the DTLS server.
     */
    void setupJanus(Signaling ws, String sipUri, String offerTemplate, DtlsCertificate cert, Executor dtlsPool,
                    MediaIo io) throws Exception {
        signaling = ws;
        janus = true;
        String tx = ws.request(janusMessage(ws, "create"));
        long session = ws.await("janus create", m -> tx.equals(m.path("transaction").asText()), 10_000).path("data").path("id").asLong();
        ObjectNode attach = janusMessage(ws, "attach").put("session_id", session).put("plugin", "janus.plugin.sip");
        String tx2 = ws.request(attach);
        long handle = ws.await("janus attach", m -> tx2.equals(m.path("transaction").asText()), 10_000).path("data").path("id").asLong();
        janusSession = session;
        janusHandle = handle;
        ObjectNode register = janusMessage(ws, "message").put("session_id", session).put("handle_id", handle);
        register.putObject("body").put("request", "register").put("type", "guest").put("username", "sip:alice@127.0.0.1");
        ws.request(register);
        ws.await("registered", m -> "registered".equals(janusEvent(m)), 10_000);
        ObjectNode call = janusMessage(ws, "message").put("session_id", session).put("handle_id", handle);
        call.putObject("body").put("request", "call").put("uri", sipUri);
        call.putObject("jsep").put("type", "offer").put("sdp", offer(offerTemplate, cert));
        long t0 = System.nanoTime();
        ws.request(call);
        JsonNode accepted = ws.await("accepted", m -> "accepted".equals(janusEvent(m)), 15_000);
        answeredNanos = System.nanoTime() - t0;
        String sdp = accepted.path("jsep").path("sdp").asText();
        gateway = candidate(sdp);
        gwUfrag = attribute(sdp, "ice-ufrag");
        gwPwd = attribute(sdp, "ice-pwd");
        DtlsRole role = "active".equals(attribute(sdp, "setup")) ? DtlsRole.SERVER : DtlsRole.CLIENT;
        dtls = new DtlsEndpoint(role, cert, List.of(Fingerprint.parse(attribute(sdp, "fingerprint"))),
                DtlsOptions.defaults().withHandshakeTimeout(java.time.Duration.ofSeconds(30)), this::sendRaw,
                cpuTimed(dtlsPool));
        CompletableFuture<SrtpKeyingMaterial> handshake = dtls.start();
        io.register(this);
        for (int attempt = 0; attempt < 50 && !iceAnswered.isDone(); attempt++) {
            sendBindingRequest(true);
            try {
                iceAnswered.get(attempt < 10 ? 50 : 200, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // retransmit
            }
        }
        if (!iceAnswered.isDone()) throw new IllegalStateException("no answer to the ICE check from " + gateway);
        SrtpKeyingMaterial keys = handshake.get(35, TimeUnit.SECONDS);
        srtpOut = new SrtpTransformer(keys.profile(), keys.localMasterKey(), keys.localMasterSalt(),
                keys.remoteMasterKey(), keys.remoteMasterSalt());
        srtpIn = new SrtpTransformer(keys.profile(), keys.localMasterKey(), keys.localMasterSalt(),
                keys.remoteMasterKey(), keys.remoteMasterSalt());
        connectedNanos = System.nanoTime() - t0;
        nextConsentNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(4) + RANDOM.nextInt(2_000_000_000);
        ws.listen(m -> {
            if ("hangup".equals(janusEvent(m)) || "ws-closed".equals(m.path("type").asText())
                    || "hangup".equals(m.path("janus").asText())) {
                if (!hungUp.isDone() && hangingUp) {
                    hungUp.complete(null);
                } else if (!hungUp.isDone()) {
                    dropped = true;
                    dropReason = m.toString();
                    media = false;
                    hungUp.complete(null);
                }
            }
        });
    }

    private static ObjectNode janusMessage(Signaling ws, String janus) {
        ObjectNode m = Signaling.JSON.createObjectNode();
        m.put("janus", janus);
        return m;
    }

    private static String janusEvent(JsonNode m) {
        return m.path("plugindata").path("data").path("result").path("event").asText();
    }

    /** Answers a connectivity check of a full ICE agent (Janus) with our password. */
    void answerBindingRequest(byte[] b, int len, InetSocketAddress source) {
        try {
            StunMessage request = org.pasarela.stun.StunParser.parse(b, 0, len);
            byte[] out = new byte[256];
            int n = new StunWriter().bindingSuccess(out, 0, request, org.pasarela.stun.TransportAddress.of(source),
                    StunIntegrity.forPassword(pwd));
            channel.send(ByteBuffer.wrap(out, 0, n), source);
        } catch (Exception e) {
            // a malformed check goes unanswered, as in any agent
        }
    }

    /** Binding request to the gateway (controlling, USE-CANDIDATE on the first one: RFC 8445 aggressive nomination). */
    void sendBindingRequest(boolean nominate) {
        byte[] request = new byte[256];
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        StunWriter w = new StunWriter().start(request, 0, StunMessage.BINDING_REQUEST, id, 0)
                .username((gwUfrag + ":" + ufrag).getBytes(StandardCharsets.UTF_8))
                .priority(2122260223L).iceControlling(42L);
        if (nominate) w.useCandidate();
        int length = w.messageIntegrity(StunIntegrity.forPassword(gwPwd)).fingerprint().length();
        sendRaw(request, 0, length);
    }

    void sendRaw(byte[] data, int off, int len) {
        try {
            channel.send(ByteBuffer.wrap(data, off, len), gateway);
        } catch (Exception e) {
            // counted by the loss figures
        }
    }

    /** Stops media, sends hangup, waits (bounded) for the gateway's hangup. */
    void hangup() {
        media = false;
        hangingUp = true;
        try {
            if (!signaling.closed() && !hungUp.isDone() && janus) {
                ObjectNode m = janusMessage(signaling, "message").put("session_id", janusSession).put("handle_id", janusHandle);
                m.putObject("body").put("request", "hangup");
                signaling.request(m);
            } else if (!signaling.closed() && !hungUp.isDone()) {
                signaling.send(signaling.message("hangup").put("call", callId));
            }
        } catch (Exception e) {
            // closing the socket ends the call anyway
        }
    }

    private static InetSocketAddress candidate(String sdp) {
        Matcher m = Pattern.compile("a=candidate:\\S+ 1 udp \\d+ (\\S+) (\\d+) typ host").matcher(sdp);
        if (!m.find()) throw new IllegalStateException("no host candidate in the answer:\n" + sdp);
        return new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
    }

    static String attribute(String sdp, String name) {
        Matcher m = Pattern.compile("a=" + name + ":([^\\r\\n]+)").matcher(sdp);
        if (!m.find()) throw new IllegalStateException("no a=" + name + " in the answer:\n" + sdp);
        return m.group(1).trim();
    }
}

package org.pasarela.transport.rtp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.pasarela.bridge.BridgedAnswer;
import org.pasarela.bridge.BrowserPeer;
import org.pasarela.bridge.DtlsSetup;
import org.pasarela.bridge.LocalMedia;
import org.pasarela.bridge.SipRemoteMedia;
import org.pasarela.ice.IceCheckResult;
import org.pasarela.ice.IceLiteResponder;
import org.pasarela.media.Direction;
import org.pasarela.media.PacketKind;
import org.pasarela.media.PayloadTypeMap;
import org.pasarela.media.RtcpTranslator;
import org.pasarela.media.RtpHeader;
import org.pasarela.media.RtpRewriter;
import org.pasarela.media.SymmetricLatch;
import org.pasarela.media.TelephoneEventDecoder;
import org.pasarela.media.TelephoneEventEncoder;
import org.pasarela.srtp.SrtpTransformer;
import org.pasarela.stun.TransportAddress;
import org.pasarela.transport.dtls.DtlsCertificate;
import org.pasarela.transport.dtls.DtlsEndpoint;
import org.pasarela.transport.dtls.DtlsOptions;
import org.pasarela.transport.dtls.DtlsRole;
import org.pasarela.transport.dtls.Fingerprint;
import org.pasarela.transport.dtls.SrtpKeyingMaterial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media of one call: ICE-lite checks, DTLS and SRTP on the browser's socket, plain RTP/RTCP toward SIP,
 * and the per-packet work between them (payload type mapping, one continuous stream toward each side, RTCP
 * translation, RFC 4733 events).
 *
 * <p>Strict sources: DTLS and SRTP are accepted only from addresses that passed an authenticated ICE check
 * (CVE-2023-51443), and SIP-side RTP only from the advertised or once-latched address (RTP bleed).
 *
 * <p>Owned by its {@link MediaLoop} thread: every method but the constructor and {@link #callId()} runs there.
 * The DTLS handshake runs on the DTLS executor and hands its result back to the loop.
 */
final class MediaSession {
    private static final Logger log = LoggerFactory.getLogger(MediaSession.class);
    private static final long PTIME_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long DTMF_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long DTMF_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int MAX_PENDING_DIGITS = 64;

    /** Which of the call's sockets a packet arrived on. */
    enum Socket { BROWSER, SIP_RTP, SIP_RTCP }

    private final String callId;
    private final MediaPorts ports;
    private final MediaEvents events;
    private final MediaLoop loop;
    private final IceLiteResponder ice;
    private final DtlsEndpoint dtls;
    private final DtlsRole role;
    private final byte[] out = new byte[MediaLoop.BUFFER_BYTES];
    private final ByteBuffer outBuffer = ByteBuffer.wrap(out);
    private final RtpRewriter toSip;
    private final RtpRewriter toBrowser;
    private final RtcpTranslator rtcpToSip;
    private final RtcpTranslator rtcpToBrowser;
    private final Queue<Character> digits = new ArrayDeque<>();
    private final Duration consentTimeout;
    private ByteBuffer inBuffer;

    private PayloadTypeMap payloadTypes;
    private SipRemoteMedia sipMedia;
    private SymmetricLatch rtpLatch;
    private SymmetricLatch rtcpLatch;
    private SrtpTransformer srtp;
    private InetSocketAddress browserTarget;
    private InetSocketAddress allowedSource;
    private volatile InetSocketAddress dtlsPeer;
    private boolean dtlsStarted;
    /** The gateway put the call on hold (a=sendonly/inactive toward SIP): no browser RTP goes to SIP. */
    private boolean heldByUs;
    private boolean lost;
    private boolean closed;
    private TelephoneEventEncoder dtmf;
    private int dtmfDurationMs;
    private long nextDigitNanos;
    private long packetsToSip;
    private long packetsToBrowser;

    MediaSession(String callId, MediaPorts ports, LocalMedia local, BrowserPeer browser, BridgedAnswer answer,
                 DtlsCertificate certificate, DtlsOptions dtlsOptions, Executor dtlsExecutor, MediaLoop loop,
                 MediaEvents events, Duration consentTimeout, RandomGenerator random, long nowNanos) {
        this.callId = callId;
        this.ports = ports;
        this.events = events;
        this.loop = loop;
        this.consentTimeout = consentTimeout;
        this.ice = new IceLiteResponder(local.iceUfrag(), local.icePwd(), browser.iceUfrag(), consentTimeout,
                nowNanos);
        // The role the SDP gave the gateway: passive is the DTLS server (RFC 5763 §5).
        this.role = browser.gatewaySetup() == DtlsSetup.PASSIVE ? DtlsRole.SERVER : DtlsRole.CLIENT;
        List<Fingerprint> fingerprints = browser.fingerprints().stream().map(Fingerprint::parse).toList();
        this.dtls = new DtlsEndpoint(role, certificate, fingerprints, dtlsOptions, this::sendDtls, dtlsExecutor);
        this.toSip = new RtpRewriter(Direction.BROWSER_TO_SIP, random.nextInt(), random.nextInt(0x10000),
                random.nextInt());
        this.toBrowser = new RtpRewriter(Direction.SIP_TO_BROWSER, random.nextInt(), random.nextInt(0x10000),
                random.nextInt());
        this.rtcpToSip = new RtcpTranslator(toSip, toBrowser);
        this.rtcpToBrowser = new RtcpTranslator(toBrowser, toSip);
        configure(answer, nowNanos);
    }

    String callId() {
        return callId;
    }

    /** Starts listening; on the loop thread. */
    void open() throws IOException {
        loop.add(this);
        loop.register(this, ports.browserChannel(), Socket.BROWSER);
        loop.register(this, ports.sipRtpChannel(), Socket.SIP_RTP);
        loop.register(this, ports.sipRtcpChannel(), Socket.SIP_RTCP);
        if (role == DtlsRole.SERVER) {
            startDtls(); // the server waits for the browser's ClientHello; the queue holds it until then
        }
    }

    /** The SIP side's media (a new answer, or a re-INVITE moved it). On the loop thread. */
    void configure(BridgedAnswer answer, long nowNanos) {
        payloadTypes = PayloadTypeMap.of(answer);
        SipRemoteMedia media = answer.sipMedia();
        if (!media.equals(sipMedia)) {
            sipMedia = media;
            InetSocketAddress rtp = new InetSocketAddress(media.address(), media.rtpPort());
            rtpLatch = SymmetricLatch.forRtp(rtp, nowNanos);
            rtcpLatch = media.rtcpMux() ? rtpLatch
                    : SymmetricLatch.forRtcp(new InetSocketAddress(media.address(), media.rtcpPort()), rtpLatch,
                            nowNanos);
        }
    }

    /** The gateway holds the call (RFC 3264 §8.4) or resumed it. On the loop thread. */
    void hold(boolean held) {
        heldByUs = held;
    }

    /** Queues RFC 4733 digits toward SIP. On the loop thread. */
    void sendDigits(String text, int durationMs) {
        for (char c : text.toCharArray()) {
            if (digits.size() < MAX_PENDING_DIGITS) {
                digits.add(c);
            }
        }
        dtmfDurationMs = durationMs;
    }

    boolean canSendDigits() {
        return payloadTypes.outgoingTelephoneEvent(Direction.BROWSER_TO_SIP) >= 0;
    }

    /** Stops everything; the sockets themselves are closed by their owner. Idempotent. On the loop thread. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.remove(this, ports.browserChannel(), ports.sipRtpChannel(), ports.sipRtcpChannel());
        dtls.close();
        log.debug("call {}: media closed, {} packets to SIP, {} to the browser", callId, packetsToSip,
                packetsToBrowser);
    }

    /**
     * Discards this call's media after a fault (a bug in its packet handling, or its loop broke): the call is told
     * once, through its lane, and the session stops. On the loop thread, or on the thread of a loop that ended.
     */
    void fail(String reason) {
        mediaLost(reason);
        close();
    }

    // ---- packets ----

    /**
     * One datagram per readiness event. The selector is level-triggered, so a socket with more queued is reported
     * again on the loop's next pass, after every other ready socket had its turn. Reading until the socket is empty
     * would cost a receive that finds nothing after almost every packet (at 20 ms per packet a call's socket rarely
     * holds two), and would let one call's backlog delay every other call's packets.
     */
    void readable(Socket socket, DatagramChannel channel, ByteBuffer buffer, long nowNanos) throws IOException {
        if (closed) {
            return;
        }
        inBuffer = buffer;
        buffer.clear();
        InetSocketAddress source = (InetSocketAddress) channel.receive(buffer);
        if (source == null) {
            return;
        }
        byte[] b = buffer.array();
        int len = buffer.position();
        switch (socket) {
            case BROWSER -> fromBrowser(b, len, source, nowNanos);
            case SIP_RTP -> fromSip(b, len, source, nowNanos, true);
            case SIP_RTCP -> fromSip(b, len, source, nowNanos, false);
        }
    }

    private void fromBrowser(byte[] b, int len, InetSocketAddress source, long now) throws IOException {
        switch (PacketKind.classify(b, 0, len)) {
            case STUN -> onStun(b, len, source, now);
            case DTLS -> {
                if (isIceValidated(source)) {
                    dtlsPeer = source;
                    dtls.receive(b, 0, len);
                }
            }
            case RTP -> {
                if (srtp == null || !isIceValidated(source) || sipMedia.isHold() || heldByUs) {
                    return;
                }
                int n = srtp.unprotect(b, 0, len);
                if (n > 0 && toSip.rewrite(b, 0, n, payloadTypes, now) == RtpRewriter.Verdict.FORWARD) {
                    send(ports.sipRtpChannel(), b, n, rtpLatch.destination());
                    packetsToSip++;
                }
            }
            case RTCP -> {
                if (srtp == null || !isIceValidated(source) || sipMedia.isHold()) {
                    return;
                }
                int n = srtp.unprotectRtcp(b, 0, len);
                int translated = n > 0 ? rtcpToSip.translate(b, 0, n) : -1;
                if (translated > 0) {
                    DatagramChannel rtcp = sipMedia.rtcpMux() ? ports.sipRtpChannel() : ports.sipRtcpChannel();
                    send(rtcp, b, translated, rtcpLatch.destination());
                }
            }
            default -> {
                // ZRTP, TURN channel data or noise: not part of this call
            }
        }
    }

    private void onStun(byte[] b, int len, InetSocketAddress source, long now) throws IOException {
        IceCheckResult result = ice.handle(b, 0, len, TransportAddress.of(source), now, out, 0);
        if (!(result instanceof IceCheckResult.Reply reply)) {
            return;
        }
        send(ports.browserChannel(), out, reply.length(), source);
        if (reply.outcome() == IceCheckResult.Outcome.NOMINATED
                || (reply.outcome() == IceCheckResult.Outcome.ACCEPTED && browserTarget == null)) {
            browserTarget = ice.selected().map(TransportAddress::toInetSocketAddress).orElse(source);
            if (role == DtlsRole.CLIENT && !dtlsStarted) {
                dtlsPeer = browserTarget;
                startDtls();
            }
        }
    }

    private void fromSip(byte[] b, int len, InetSocketAddress source, long now, boolean rtpSocket)
            throws IOException {
        PacketKind kind = PacketKind.classify(b, 0, len);
        if (kind == PacketKind.RTP && rtpSocket) {
            int pt = RtpHeader.payloadType(b, 0);
            boolean wanted = payloadTypes.outgoing(Direction.SIP_TO_BROWSER, pt) >= 0;
            if (rtpLatch.onPacket(source, wanted, RtpHeader.ssrc(b, 0), RtpHeader.sequenceNumber(b, 0), now)
                    == SymmetricLatch.Verdict.DROP || srtp == null || browserTarget == null) {
                return;
            }
            if (toBrowser.rewrite(b, 0, len, payloadTypes, now) == RtpRewriter.Verdict.FORWARD) {
                int n = srtp.protect(b, 0, len);
                if (n > 0) {
                    send(ports.browserChannel(), b, n, browserTarget);
                    packetsToBrowser++;
                }
            }
        } else if (kind == PacketKind.RTCP) {
            SymmetricLatch latch = rtpSocket ? rtpLatch : rtcpLatch;
            if (latch.onPacket(source, true, 0, 0, now) == SymmetricLatch.Verdict.DROP || srtp == null
                    || browserTarget == null) {
                return;
            }
            int translated = rtcpToBrowser.translate(b, 0, len);
            int n = translated > 0 ? srtp.protectRtcp(b, 0, translated) : -1;
            if (n > 0) {
                send(ports.browserChannel(), b, n, browserTarget);
            }
        }
    }

    /** Only addresses that passed an authenticated ICE check may speak DTLS or SRTP to us. */
    private boolean isIceValidated(InetSocketAddress source) {
        if (source.equals(allowedSource)) {
            return true; // the common case, without converting the address
        }
        if (ice.isAllowed(TransportAddress.of(source))) {
            allowedSource = source;
            return true;
        }
        return false;
    }

    private void send(DatagramChannel channel, byte[] data, int len, InetSocketAddress target) throws IOException {
        if (target == null) {
            return;
        }
        // Packets are rewritten in place in the loop's buffers: sending them allocates nothing.
        ByteBuffer buffer = data == out ? outBuffer
                : inBuffer != null && data == inBuffer.array() ? inBuffer : ByteBuffer.wrap(data);
        buffer.clear().limit(len);
        channel.send(buffer, target);
    }

    // ---- DTLS ----

    private void startDtls() {
        dtlsStarted = true;
        dtls.start().whenComplete((keys, failure) -> loop.execute(() -> onDtlsDone(keys, failure)));
        dtls.peerClosed().thenAccept(why -> loop.execute(() -> mediaLost("browser ended DTLS: " + why)));
    }

    private void onDtlsDone(SrtpKeyingMaterial keys, Throwable failure) {
        if (closed) {
            return;
        }
        if (failure != null) {
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            // Without a single authenticated ICE check the handshake never had a peer: say what the user can fix.
            mediaLost(ice.validated().isEmpty()
                    ? "no ICE connectivity check from the browser reached the gateway's media port (a firewall or NAT"
                            + " blocks the direct path; TURN would relay it)"
                    : "DTLS handshake failed: " + cause.getMessage());
            return;
        }
        srtp = new SrtpTransformer(keys.profile(), keys.localMasterKey(), keys.localMasterSalt(),
                keys.remoteMasterKey(), keys.remoteMasterSalt());
        events.connected("DTLS " + dtls.session().map(Object::toString).orElse("") + ", SRTP " + keys.profile());
    }

    /** DTLS records leave from the handshake thread; a datagram socket takes concurrent sends. */
    private void sendDtls(byte[] data, int offset, int length) {
        InetSocketAddress peer = dtlsPeer;
        if (peer == null || closed) {
            return;
        }
        try {
            ports.browserChannel().send(ByteBuffer.wrap(data, offset, length), peer);
        } catch (IOException e) {
            log.debug("call {}: DTLS record not sent: {}", callId, e.toString());
        }
    }

    // ---- timers ----

    void tick(long now) {
        if (closed) {
            return;
        }
        if (ice.consentExpired(now)) {
            mediaLost("no ICE consent from the browser for " + consentTimeout.toSeconds() + " s (RFC 7675)");
            return;
        }
        try {
            pumpDtmf(now);
        } catch (IOException e) {
            log.debug("call {}: DTMF packet not sent: {}", callId, e.toString());
        }
    }

    private void pumpDtmf(long now) throws IOException {
        if (dtmf == null) {
            if (digits.isEmpty() || now - nextDigitNanos < 0) {
                return;
            }
            char digit = digits.poll();
            if (digit == ',') {
                nextDigitNanos = now + DTMF_PAUSE_NANOS;
                return;
            }
            int code = TelephoneEventDecoder.eventCode(digit);
            int pt = payloadTypes.outgoingTelephoneEvent(Direction.BROWSER_TO_SIP);
            if (code < 0 || pt < 0) {
                return;
            }
            int clock = payloadTypes.clockRate();
            dtmf = new TelephoneEventEncoder(code, pt, clock, toSip.timestampAt(now, clock), now, PTIME_NANOS,
                    TimeUnit.MILLISECONDS.toNanos(dtmfDurationMs));
        }
        int n;
        while ((n = dtmf.poll(out, 0, now)) > 0) {
            if (toSip.inject(out, 0, n, now) == RtpRewriter.Verdict.FORWARD && !sipMedia.isHold()) {
                send(ports.sipRtpChannel(), out, n, rtpLatch.destination());
            }
        }
        if (dtmf.isFinished()) {
            dtmf = null;
            nextDigitNanos = now + DTMF_GAP_NANOS;
        }
    }

    private void mediaLost(String reason) {
        if (lost || closed) {
            return;
        }
        lost = true;
        events.lost(reason);
    }
}

package org.pasarela.transport.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.pasarela.transport.dtls.DtlsHandshakeException.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DTLS-SRTP association with one WebRTC peer (RFC 5763, RFC 5764): a push-style edge around Bouncy Castle's
 * pull-style DTLS 1.2, whose only product is the SRTP keying material.
 *
 * <p>Threads: the handshake runs as one task on the {@link Executor} given to the constructor, blocking that
 * thread until it finishes, fails, times out or {@link #close()} is called (so size the executor for concurrent
 * handshakes, not for calls). {@link #handshake()} and {@link #peerClosed()} complete on that thread or on the
 * thread calling {@link #receive}; owners should hop to their own lane with {@code thenAcceptAsync(.., lane)}.
 * After the handshake no thread is held: records that still arrive (the peer's retransmitted final flight, alerts,
 * application data, which we drop because we have no data channels) are processed inline in {@link #receive}.
 *
 * <p>Crypto is Bouncy Castle's TLS engine with Bouncy Castle's own lightweight crypto ({@link BcTlsCrypto}): its P-256
 * ECDH and ECDSA cost the DTLS threads a quarter of what the JDK's SunEC did in the setup-rate benchmark
 * (docs/benchmarks.md), and its AES-GCM record ciphers keep no per-key table ({@link CompactGcmCrypto}). Media keys
 * only leave the handshake through the exporter; SRTP itself runs in our own code.
 */
public final class DtlsEndpoint implements AutoCloseable {
    /**
     * One JCA crypto for every handshake: it holds no per-connection state (Bouncy Castle's JSSE provider shares
     * one per SSLContext the same way), and making one per call costs a provider lookup and a SecureRandom seeding.
     */
    static final BcTlsCrypto CRYPTO = new CompactGcmCrypto(new SecureRandom());

    private static final Logger log = LoggerFactory.getLogger(DtlsEndpoint.class);

    private enum State { NEW, HANDSHAKING, CONNECTED, CLOSED }

    private final DtlsRole role;
    private final DtlsOptions options;
    private final Executor executor;
    private final DatagramInbox inbox;
    private final HandshakePolicy policy;
    private final CompletableFuture<SrtpKeyingMaterial> handshake = new CompletableFuture<>();
    private final CompletableFuture<String> peerClosed = new CompletableFuture<>();
    private final Object lock = new Object();
    private final byte[] scratch = new byte[DatagramInbox.RECEIVE_LIMIT];
    private volatile State state = State.NEW;
    private DTLSTransport transport; // guarded by lock

    /**
     * @param role {@link DtlsRole#SERVER} when our SDP says {@code a=setup:passive}
     * @param localCertificate what we present; its fingerprint is in our SDP
     * @param remoteFingerprints every {@code a=fingerprint} from the peer's SDP; at least one with a supported hash
     * @param sender where our DTLS records go
     * @param handshakeExecutor runs the blocking handshake; one thread per concurrent handshake
     */
    public DtlsEndpoint(DtlsRole role, DtlsCertificate localCertificate, List<Fingerprint> remoteFingerprints,
                        DtlsOptions options, DatagramSender sender, Executor handshakeExecutor) {
        this.role = Objects.requireNonNull(role, "role");
        this.options = Objects.requireNonNull(options, "options");
        this.executor = Objects.requireNonNull(handshakeExecutor, "handshakeExecutor");
        Objects.requireNonNull(localCertificate, "localCertificate");
        Objects.requireNonNull(remoteFingerprints, "remoteFingerprints");
        this.inbox = new DatagramInbox(options.inboundQueueCapacity(), Objects.requireNonNull(sender, "sender"));
        this.policy = new HandshakePolicy(CRYPTO, role, localCertificate, remoteFingerprints, options,
                peerClosed::complete);
    }

    public DtlsRole role() {
        return role;
    }

    /**
     * Submits the handshake to the executor. Datagrams received before this are kept (up to the queue bound), so a
     * ClientHello that beats the answer's processing is not lost. Call once.
     */
    public CompletableFuture<SrtpKeyingMaterial> start() {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("DTLS endpoint already started (state " + state + ")");
            }
            state = State.HANDSHAKING;
        }
        try {
            executor.execute(this::runHandshake);
        } catch (RejectedExecutionException e) {
            close();
            handshake.completeExceptionally(new DtlsHandshakeException(Kind.CLOSED,
                    "DTLS handshake executor refused the handshake: " + e.getMessage(), e));
        }
        return handshake;
    }

    /** Completes with the SRTP keys, or exceptionally with a {@link DtlsHandshakeException}. */
    public CompletableFuture<SrtpKeyingMaterial> handshake() {
        return handshake;
    }

    /**
     * Completes with a reason ("peer sent close_notify", "peer sent fatal alert ...") when the peer ends an
     * established association, which for a call means hang up.
     */
    public CompletableFuture<String> peerClosed() {
        return peerClosed;
    }

    /** What the finished handshake agreed on; empty until it finished. */
    public Optional<DtlsSession> session() {
        return Optional.ofNullable(policy.session());
    }

    /** Inbound datagrams dropped so far: oversize, queue full, or after close. */
    public long droppedDatagrams() {
        return inbox.dropped();
    }

    /**
     * Hands over one datagram the demultiplexer classified as DTLS (RFC 7983: first byte 20..63). The bytes are
     * copied. Never throws for any content: garbage is dropped by the record layer, a full queue drops the new
     * datagram.
     */
    public void receive(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(data, "data").length);
        if (!inbox.offer(data, offset, length)) {
            return;
        }
        if (state == State.CONNECTED) {
            processInline();
        }
    }

    /**
     * Ends the association: sends close_notify if connected, wakes and frees the handshake thread if still
     * handshaking (the handshake then fails with {@link Kind#CLOSED}). Idempotent, callable from any thread.
     */
    @Override
    public void close() {
        State before;
        synchronized (lock) {
            before = state;
            if (before == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            if (transport != null) {
                try {
                    transport.close();
                } catch (IOException | RuntimeException e) {
                    log.debug("DTLS {}: close_notify not sent: {}", role, e.toString());
                }
            }
            inbox.shutdown();
        }
        if (before == State.NEW) {
            handshake.completeExceptionally(new DtlsHandshakeException(Kind.CLOSED,
                    "closed before the DTLS handshake started"));
        }
    }

    private void runHandshake() {
        DTLSTransport connected;
        try {
            if (role == DtlsRole.SERVER) {
                DTLSServerProtocol protocol = new DTLSServerProtocol();
                // ICE connectivity checks already proved the peer's address, so a HelloVerifyRequest cookie
                // round trip would only add latency (RFC 8842 §5 leaves it optional).
                protocol.setVerifyRequests(false);
                connected = protocol.accept(new SrtpDtlsServer(policy), inbox);
            } else {
                connected = new DTLSClientProtocol().connect(new SrtpDtlsClient(policy), inbox);
            }
        } catch (IOException | RuntimeException e) {
            DtlsHandshakeException failure = classify(e);
            log.debug("DTLS {}: handshake failed: {}", role, failure.getMessage());
            handshake.completeExceptionally(failure);
            return;
        }
        synchronized (lock) {
            if (state == State.CLOSED) {
                try {
                    connected.close();
                } catch (IOException e) {
                    log.debug("DTLS {}: close after late handshake: {}", role, e.toString());
                }
                handshake.completeExceptionally(new DtlsHandshakeException(Kind.CLOSED,
                        "closed while the DTLS handshake was finishing"));
                return;
            }
            transport = connected;
            inbox.switchToInline();
            state = State.CONNECTED;
        }
        log.debug("DTLS {}: connected, {}", role, policy.session());
        handshake.complete(policy.keys());
        processInline();
    }

    /**
     * Lets BC consume what is queued without blocking: retransmits our final flight if the peer asks for it,
     * reports alerts, and drops application data.
     */
    private void processInline() {
        synchronized (lock) {
            // Bounded: BC may return -1 without consuming (its 1 ms wait expired); the next receive() resumes.
            for (int round = 0; round <= options.inboundQueueCapacity() && state == State.CONNECTED
                    && !inbox.isEmpty(); round++) {
                try {
                    int n = transport.receive(scratch, 0, scratch.length, 1);
                    if (n < 0) {
                        continue;
                    }
                    log.trace("DTLS {}: dropped {} bytes of application data", role, n);
                } catch (InterruptedIOException e) {
                    break;
                } catch (IOException | RuntimeException e) {
                    peerClosed.complete("DTLS association failed: " + e.getMessage());
                    state = State.CLOSED;
                    inbox.shutdown();
                }
            }
        }
    }

    private DtlsHandshakeException classify(Exception e) {
        if (state == State.CLOSED) {
            return new DtlsHandshakeException(Kind.CLOSED, "closed before the DTLS handshake finished", e);
        }
        Optional<DtlsHandshakeException> recorded = policy.failure();
        if (recorded.isPresent()) {
            return recorded.get();
        }
        if (e instanceof TlsTimeoutException) {
            return new DtlsHandshakeException(Kind.TIMEOUT,
                    "handshake timed out after " + describe(options.handshakeTimeout()), e);
        }
        String detail = e instanceof TlsFatalAlert alert
                ? AlertDescription.getName(alert.getAlertDescription()) + ": " + e.getMessage()
                : e.toString();
        return new DtlsHandshakeException(Kind.PROTOCOL_ERROR, "DTLS handshake failed: " + detail, e);
    }

    static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}

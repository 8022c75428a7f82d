package org.pasarela.transport.rtp;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.pasarela.bridge.BridgedAnswer;
import org.pasarela.bridge.BrowserPeer;
import org.pasarela.bridge.LocalMedia;
import org.pasarela.lane.DaemonThreads;
import org.pasarela.srtp.SrtpProfile;
import org.pasarela.transport.dtls.DtlsCertificate;
import org.pasarela.transport.dtls.DtlsOptions;

/**
 * The media plane of the gateway: one selector thread moving every call's packets, a small pool for DTLS
 * handshakes, and one {@link MediaSession} per call. No thread per call.
 *
 * <p>Thread-safe: calls come from lanes; everything is handed to the loop thread.
 */
public final class MediaRelay implements AutoCloseable {
    /**
     * AES-CM with HMAC-SHA1-80 first: the JDK's GCM allocates about 1 KB per packet and our CM path allocates
     * nothing (measured in the SRTP benchmark); browsers offer both.
     */
    private static final List<SrtpProfile> PROFILES = List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80,
            SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_32);

    private final DtlsCertificate certificate;
    private final DtlsOptions dtlsOptions = DtlsOptions.defaults().withSrtpProfiles(PROFILES);
    private final Duration consentTimeout;
    private final ExecutorService dtlsPool;
    private final MediaLoop loop;
    private final RandomGenerator random = new SecureRandom();
    private final AtomicInteger open = new AtomicInteger();

    public MediaRelay(DtlsCertificate certificate, Duration consentTimeout) throws IOException {
        this.certificate = certificate;
        this.consentTimeout = consentTimeout;
        this.dtlsPool = handshakePool();
        this.loop = new MediaLoop("media");
    }

    /** A call's media: starts answering ICE and DTLS on its sockets, and relays once keys exist. */
    public Handle open(String callId, MediaPorts ports, LocalMedia local, BrowserPeer browser, BridgedAnswer answer,
                       MediaEvents events) {
        MediaSession session = new MediaSession(callId, ports, local, browser, answer, certificate, dtlsOptions,
                dtlsPool, loop, events, consentTimeout, random, System.nanoTime());
        open.incrementAndGet();
        loop.execute(() -> {
            try {
                session.open();
            } catch (IOException e) {
                events.lost("cannot listen on the media sockets: " + e.getMessage());
            }
        });
        return new Handle(session);
    }

    /**
     * Bouncy Castle's DTLS blocks its thread for the whole handshake, mostly waiting for the browser's next flight
     * (the benchmark saw 4 fixed threads parked 111 s out of 74 s and capping setups at 55/s). So: 4 threads kept
     * for the steady trickle of calls, up to 64 for bursts, the extra ones gone after 10 s idle; beyond 64
     * handshakes in flight the rest wait their turn in a queue.
     */
    private static ExecutorService handshakePool() {
        ThreadFactory threads = DaemonThreads.named("dtls");
        ExecutorService overflow = Executors.newFixedThreadPool(4, DaemonThreads.named("dtls-queued"));
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 64, 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
                threads, (task, full) -> overflow.execute(task));
        return new java.util.concurrent.AbstractExecutorService() {
            @Override public void execute(Runnable task) { pool.execute(task); }
            @Override public void shutdown() { pool.shutdown(); overflow.shutdown(); }
            @Override public java.util.List<Runnable> shutdownNow() {
                java.util.List<Runnable> left = new java.util.ArrayList<>(pool.shutdownNow());
                left.addAll(overflow.shutdownNow());
                return left;
            }
            @Override public boolean isShutdown() { return pool.isShutdown(); }
            @Override public boolean isTerminated() { return pool.isTerminated() && overflow.isTerminated(); }
            @Override public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
                return pool.awaitTermination(timeout, unit) && overflow.awaitTermination(timeout, unit);
            }
        };
    }

    /** Calls whose media is open. */
    public int openSessions() {
        return open.get();
    }

    /** One call's media, as its lane sees it. */
    public final class Handle {
        private final MediaSession session;
        private boolean closed;

        private Handle(MediaSession session) {
            this.session = session;
        }

        /** The SIP side answered again or moved its media. */
        public void update(BridgedAnswer answer) {
            loop.execute(() -> session.configure(answer, System.nanoTime()));
        }

        /** The gateway holds the call (true): the browser's audio is not relayed toward SIP until resumed. */
        public void hold(boolean held) {
            loop.execute(() -> session.hold(held));
        }

        /** Sends RFC 4733 telephone-events toward SIP, one digit after the other. */
        public void sendDigits(String digits, int durationMs) {
            loop.execute(() -> session.sendDigits(digits, durationMs));
        }

        /**
         * Stops the media. Does not wait: the owner may close the sockets right after, and a receive that races
         * with that close just ends that socket's reads.
         */
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            open.decrementAndGet();
            loop.execute(session::close);
        }
    }

    @Override
    public void close() {
        loop.close();
        dtlsPool.shutdownNow();
    }
}

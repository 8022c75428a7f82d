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
import java.util.function.ToIntFunction;
import java.util.random.RandomGenerator;
import org.pasarela.bridge.BridgedAnswer;
import org.pasarela.bridge.BrowserPeer;
import org.pasarela.bridge.LocalMedia;
import org.pasarela.lane.DaemonThreads;
import org.pasarela.srtp.SrtpProfile;
import org.pasarela.transport.dtls.DtlsCertificate;
import org.pasarela.transport.dtls.DtlsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media plane of the gateway: one {@link MediaLoop} (a selector thread) per core, a small pool for DTLS
 * handshakes, and one {@link MediaSession} per call. No thread per call: the threads are the loops and the DTLS
 * pool, whatever the number of calls.
 *
 * <p>A new call goes to the first loop holding fewer than {@code callsPerLoop} calls and not saturated; once every
 * loop holds that many, to the loop with the fewest calls (ties in turn). While every loop is saturated a new call
 * is refused ({@link #checkRoom()}). It stays there for its life, so all of a call's state is
 * touched by one thread and the per-packet path takes no lock. Filling one loop first is cheaper at low load: 100
 * calls cost 0.135 % of a core each on one loop and 0.16-0.18 % spread over two (docs/benchmarks.md, run 7), as
 * one thread that wakes finds more packets ready. One loop saturated near 1000 calls on the benchmark machine
 * (finding 1); past the threshold the calls share every core.
 *
 * <p>Thread-safe: calls come from lanes; everything about a call is handed to its loop's thread.
 */
public final class MediaRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MediaRelay.class);
    /**
     * The AES-CM profiles only. The JDK's GCM allocates about 1 KB per packet (the SRTP benchmark;
     * {@code MediaLoopAllocationTest} measured 1,032 bytes per relayed packet) and our CM path nothing. Preferring
     * CM is not enough: when the gateway is the DTLS client the browser chooses, and Chromium chooses GCM.
     * AES_CM_128_HMAC_SHA1_80 is mandatory to implement for WebRTC (RFC 8827 §6.5), so every browser has it.
     */
    static final List<SrtpProfile> PROFILES = List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80,
            SrtpProfile.AES_CM_128_HMAC_SHA1_32);

    /** {@code maxBusyPercent} that never refuses a call. */
    public static final int NEVER_REFUSE = 0;

    private final DtlsCertificate certificate;
    private final DtlsOptions dtlsOptions = DtlsOptions.defaults().withSrtpProfiles(PROFILES);
    private final Duration consentTimeout;
    private final ExecutorService dtlsPool;
    /** Replaced in place when one breaks; guarded by {@code this}. */
    private final MediaLoop[] loops;
    private final RandomGenerator random = new SecureRandom();
    private final AtomicInteger open = new AtomicInteger();
    private final int callsPerLoop;
    private final int maxBusyPercent;
    private int nextLoop;
    private boolean closed;

    /** A relay that never refuses a call, however busy its loops ({@link #NEVER_REFUSE}). */
    public MediaRelay(DtlsCertificate certificate, Duration consentTimeout, int loops, int callsPerLoop)
            throws IOException {
        this(certificate, consentTimeout, loops, callsPerLoop, NEVER_REFUSE);
    }

    /**
     * @param loops          media loops (selector threads) to run, at least 1; {@link #defaultLoops()} is one per core
     * @param callsPerLoop   calls placed on a loop before the next gets any; 0 = always the least loaded loop
     * @param maxBusyPercent a loop whose {@link MediaLoop#peakBusyPercent()} reaches this is saturated: it takes no
     *                       new call while another has room, and {@link #checkRoom()} refuses calls while all are;
     *                       {@link #NEVER_REFUSE} never
     * @throws IOException when a selector cannot be opened
     */
    public MediaRelay(DtlsCertificate certificate, Duration consentTimeout, int loops, int callsPerLoop,
                      int maxBusyPercent) throws IOException {
        if (maxBusyPercent < 0 || maxBusyPercent > 100) {
            throw new IllegalArgumentException("max busy percent " + maxBusyPercent + " is not in 0-100");
        }
        this.maxBusyPercent = maxBusyPercent;
        if (loops < 1) {
            throw new IllegalArgumentException("media loops " + loops + " must be at least 1");
        }
        if (callsPerLoop < 0) {
            throw new IllegalArgumentException("calls per loop " + callsPerLoop + " must not be negative");
        }
        this.callsPerLoop = callsPerLoop;
        this.certificate = certificate;
        this.consentTimeout = consentTimeout;
        this.loops = new MediaLoop[loops];
        try {
            for (int i = 0; i < loops; i++) {
                this.loops[i] = new MediaLoop(loopName(i));
            }
        } catch (IOException | RuntimeException e) {
            closeLoops();
            throw e;
        }
        this.dtlsPool = handshakePool();
    }

    /** One loop per available processor, at least one. */
    public static int defaultLoops() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    private static String loopName(int index) {
        return "media-" + (index + 1);
    }

    /** A call's media: starts answering ICE and DTLS on its sockets, and relays once keys exist. */
    public Handle open(String callId, MediaPorts ports, LocalMedia local, BrowserPeer browser, BridgedAnswer answer,
                       MediaEvents events) {
        MediaLoop loop = pickLoop();
        MediaSession session = new MediaSession(callId, ports, local, browser, answer, certificate, dtlsOptions,
                dtlsPool, loop, events, consentTimeout, random, System.nanoTime());
        open.incrementAndGet();
        loop.callPlaced();
        loop.execute(new MediaLoop.Open(session, () -> {
            try {
                session.open();
            } catch (IOException e) {
                events.lost("cannot listen on the media sockets: " + e.getMessage());
            }
        }));
        return new Handle(session, loop);
    }

    /**
     * Throws while every loop is saturated (see the constructor): one more call would only take packets from the
     * calls already relayed. Any thread; callers ask before binding a new call's sockets.
     */
    public void checkRoom() throws MediaBusyException {
        if (maxBusyPercent == NEVER_REFUSE) {
            return;
        }
        int least = leastPeakBusyPercent();
        if (least >= maxBusyPercent) {
            throw new MediaBusyException(least, maxBusyPercent);
        }
    }

    private boolean saturated(MediaLoop loop) {
        return maxBusyPercent != NEVER_REFUSE && loop.peakBusyPercent() >= maxBusyPercent;
    }

    /**
     * The first running loop below {@code callsPerLoop} and not saturated, in loop order (on a slow or busy machine
     * the first loop can saturate before it holds {@code callsPerLoop} calls); else the running loop with the
     * fewest calls among those not saturated (among all if every one is), looking from a rotating start so equal
     * loops take turns. A loop that broke is replaced here, before it would be chosen. If no loop runs (a selector
     * cannot even be opened), a broken one is returned and the call is told its media is lost.
     */
    private synchronized MediaLoop pickLoop() {
        for (int i = 0; i < loops.length; i++) {
            if (!loops[i].isRunning() && !closed) {
                replaceLoop(i);
            }
        }
        for (MediaLoop loop : loops) {
            if (loop.isRunning() && loop.calls() < callsPerLoop && !saturated(loop)) {
                return loop;
            }
        }
        MediaLoop best = null;
        for (int k = 0; k < loops.length; k++) {
            MediaLoop loop = loops[(nextLoop + k) % loops.length];
            if (loop.isRunning() && (best == null || roomier(loop, best))) {
                best = loop;
            }
        }
        nextLoop = (nextLoop + 1) % loops.length;
        return best != null ? best : loops[nextLoop];
    }

    /** A loop with room before a saturated one, then the one with fewer calls. */
    private boolean roomier(MediaLoop loop, MediaLoop than) {
        boolean full = saturated(loop);
        boolean thanFull = saturated(than);
        return full != thanFull ? !full : loop.calls() < than.calls();
    }

    private void replaceLoop(int index) {
        try {
            loops[index] = new MediaLoop(loopName(index));
            log.warn("media loop {} started again after it failed; its calls were ended", loopName(index));
        } catch (IOException e) {
            log.error("media loop {} cannot start again: {}", loopName(index), e.toString());
        }
    }

    /** Calls placed on each loop and not yet closed, in loop order (tests, health). */
    int[] callsPerLoop() {
        return perLoop(MediaLoop::calls);
    }

    /** Each loop's {@link MediaLoop#busyPercent()} over the last second, in loop order (health). */
    public int[] busyPercentPerLoop() {
        return perLoop(MediaLoop::busyPercent);
    }

    /** Each loop's {@link MediaLoop#peakBusyPercent()}, what placement and {@link #checkRoom()} go by (health). */
    public int[] peakBusyPercentPerLoop() {
        return perLoop(MediaLoop::peakBusyPercent);
    }

    /** Each loop thread's nice value, {@link ThreadNice#UNKNOWN} where it cannot be read (health). */
    public int[] nicePerLoop() {
        return perLoop(MediaLoop::nice);
    }

    private synchronized int[] perLoop(ToIntFunction<MediaLoop> figure) {
        int[] values = new int[loops.length];
        for (int i = 0; i < loops.length; i++) {
            values[i] = figure.applyAsInt(loops[i]);
        }
        return values;
    }

    /**
     * The least of the loops' {@link MediaLoop#peakBusyPercent()}: at 100 every loop was saturated in the last few
     * seconds and a new call would take packets from the others. A loop that broke reads 0, as the fresh loop that
     * replaces it for the next call will.
     */
    synchronized int leastPeakBusyPercent() {
        int least = 100;
        for (MediaLoop loop : loops) {
            least = Math.min(least, loop.isRunning() ? loop.peakBusyPercent() : 0);
        }
        return least;
    }

    /** The media loops now running or broken, in order (tests). */
    synchronized List<MediaLoop> loops() {
        return List.of(loops.clone());
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
        private final MediaLoop loop;
        private boolean closed;

        private Handle(MediaSession session, MediaLoop loop) {
            this.session = session;
            this.loop = loop;
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
            loop.callEnded();
            loop.execute(session::close);
        }

        /** The loop this call lives on, for its whole life (tests). */
        MediaLoop loop() {
            return loop;
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        closeLoops();
        if (dtlsPool != null) {
            dtlsPool.shutdownNow();
        }
    }

    private synchronized void closeLoops() {
        for (MediaLoop loop : loops) {
            if (loop != null) {
                loop.close();
            }
        }
    }
}

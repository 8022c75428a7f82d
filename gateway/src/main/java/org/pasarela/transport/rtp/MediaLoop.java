package org.pasarela.transport.rtp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that moves the packets of the calls placed on it: a selector over their media sockets, a queue of
 * tasks from other threads (open, configuration, DTMF, close), and a periodic tick for timers (consent, DTMF
 * pacing). A call stays on one loop for its whole life and its sessions are only ever touched by this thread, so
 * the per-packet path needs no locks. {@link MediaRelay} runs one loop per core.
 *
 * <p>The per-packet path allocates nothing of its own: the receive buffer is allocated once and reused for every
 * packet of every call, and ready keys arrive through {@link Selector#select(Consumer, long)} with one consumer
 * object, which bypasses the selected-key set (a {@code HashSet} node per ready socket with plain
 * {@code select}). What remains is the JDK's: see {@code MediaLoopAllocationTest}.
 *
 * <p>A loop that breaks (an {@link Error} on its thread, or a selector that stops working) ends: each of its calls
 * is told its media was lost, so their lanes tear them down, and {@link MediaRelay} starts a fresh loop in its place
 * for new calls. Other loops' calls are not affected.
 */
final class MediaLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MediaLoop.class);
    /** Room for any UDP datagram we accept plus the SRTP tag we add in place. */
    static final int BUFFER_BYTES = 2048;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** The advice to raise the media threads' priority is worth one line per process, not one per loop. */
    private static final AtomicBoolean PRIORITY_ADVISED = new AtomicBoolean();

    private final String name;
    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<MediaSession> sessions = new ArrayList<>();
    /** The sessions as an array for the 10 ms tick: rebuilt when a call comes or goes, not on every tick. */
    private MediaSession[] ticking = new MediaSession[0];
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    /** Created once: a method reference per select would be an allocation per wake-up. */
    private final Consumer<SelectionKey> onReady = this::onReady;
    /** Calls placed here and not yet closed; any thread reads it to place a new call on the least-loaded loop. */
    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean running = true;
    /** Why the loop broke, or null while it works (or was closed normally). */
    private volatile String failure;
    private long nextTickNanos;
    private boolean stamped;
    private long wakeNanos;
    private final BusyMeter busy = new BusyMeter(System.nanoTime());
    /** The loop thread's nice value once it has started ({@link ThreadNice}); UNKNOWN before, or off Linux. */
    private volatile int nice = ThreadNice.UNKNOWN;

    MediaLoop(String name) throws IOException {
        this.name = name;
        this.selector = Selector.open();
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        // Waiting for a CPU, not relaying, is what delays packets on a busy machine (the benchmark's media threads
        // spent 34 % of the window runnable but not running at 500 calls). On Linux this becomes nice -5 when the JVM
        // runs with -XX:ThreadPriorityPolicy=1 and may raise priority (root or CAP_SYS_NICE), and nothing otherwise:
        // one-way p99 at 500 calls went from 2.4 to 0.9 ms (docs/benchmarks.md, run 7).
        this.thread.setPriority(Thread.MAX_PRIORITY);
        this.thread.start();
    }

    /**
     * Runs {@code task} on the loop thread, soon. Any thread. On a loop that has ended the task is dropped, except
     * a call's {@link Open}, whose call is told at once that its media is lost.
     */
    void execute(Runnable task) {
        tasks.add(task);
        if (running) {
            selector.wakeup();
        } else {
            drainEnded(); // added after the loop's own last drain: nobody else would see it
        }
    }

    /** The task that starts a call's media on this loop; kept apart so an ended loop can fail the call instead. */
    record Open(MediaSession session, Runnable start) implements Runnable {
        @Override
        public void run() {
            start.run();
        }
    }

    /** Registers a session's sockets; from the loop thread only. */
    void register(MediaSession session, DatagramChannel channel, MediaSession.Socket socket)
            throws IOException {
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ, new Attachment(session, socket));
    }

    void add(MediaSession session) {
        sessions.add(session);
        ticking = sessions.toArray(new MediaSession[0]);
    }

    void remove(MediaSession session, DatagramChannel... channels) {
        if (sessions.remove(session)) {
            ticking = sessions.toArray(new MediaSession[0]);
        }
        for (DatagramChannel channel : channels) {
            SelectionKey key = channel.keyFor(selector); // the call's own keys, not a scan of every call's
            if (key != null) {
                key.cancel();
            }
        }
    }

    /** Sessions registered here; loop thread only (tests read it through a task). */
    int sessionCount() {
        return sessions.size();
    }

    void callPlaced() {
        calls.incrementAndGet();
    }

    void callEnded() {
        calls.decrementAndGet();
    }

    /** Calls placed on this loop and not yet closed. Any thread. */
    int calls() {
        return calls.get();
    }

    /** Percent of the last second this loop spent working rather than waiting for packets ({@link BusyMeter}). */
    int busyPercent() {
        return busy.percent();
    }

    /** The busiest of the last few seconds ({@link BusyMeter#peakPercent()}): what decides if it takes calls. */
    int peakBusyPercent() {
        return busy.peakPercent();
    }

    boolean isRunning() {
        return running;
    }

    String name() {
        return name;
    }

    /** The loop thread's id, for tests that read its CPU time or allocated bytes. */
    long threadId() {
        return thread.getId();
    }

    private record Attachment(MediaSession session, MediaSession.Socket socket) {}

    private void run() {
        try {
            readNice();
            nextTickNanos = System.nanoTime() + TICK_NANOS;
            while (running) {
                long waitStart = System.nanoTime();
                long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextTickNanos - waitStart));
                stamped = false;
                selector.select(onReady, waitMs); // an IOException here means epoll itself broke: fatal below
                // Asleep until the first ready socket was stamped; a wake-up with none ready (tick, task) read the
                // clock once more, which packets never pay for.
                busy.idle((stamped ? wakeNanos : System.nanoTime()) - waitStart);
                runTasks();
                long now = System.nanoTime();
                if (now - nextTickNanos >= 0) {
                    nextTickNanos = now + TICK_NANOS;
                    for (MediaSession session : ticking) {
                        session.tick(now);
                    }
                    busy.roll(now);
                }
            }
        } catch (Throwable t) { // NOPMD: an Error or a broken selector ends this loop, and only this loop
            if (running) {
                fail(t);
            }
        } finally {
            running = false;
            closeSelector();
            drainEnded();
        }
    }

    /**
     * Reads this thread's nice value, and says once if the priority it asked for was not granted: HotSpot on Linux
     * applies {@link Thread#setPriority} only with {@code -XX:ThreadPriorityPolicy=1} and the right to raise
     * priority, and otherwise leaves the thread at the process's own nice value.
     */
    private void readNice() {
        nice = ThreadNice.current();
        int process = ThreadNice.ofProcess();
        if (nice != ThreadNice.UNKNOWN && process != ThreadNice.UNKNOWN && nice >= process
                && PRIORITY_ADVISED.compareAndSet(false, true)) {
            log.info("media threads run at nice {}, the process's own: on a busy machine their packets wait longer "
                    + "for a CPU (500 calls on the benchmark machine: one-way p99 7.5 ms, 1.8 ms at nice -5; "
                    + "docs/benchmarks.md, finding 14). Start the JVM with -XX:ThreadPriorityPolicy=1, as root or with "
                    + "CAP_SYS_NICE, as etc/pasarela.service does", nice);
        }
    }

    /** The loop thread's nice value, or {@link ThreadNice#UNKNOWN} before it started or where it cannot be read. */
    int nice() {
        return nice;
    }

    /** One ready socket of one call, straight from epoll: no selected-key set, no iterator. */
    private void onReady(SelectionKey key) {
        if (!key.isValid() || !(key.attachment() instanceof Attachment a)) {
            return;
        }
        if (!stamped) { // one clock read per wake-up, however many sockets are ready
            wakeNanos = System.nanoTime();
            stamped = true;
        }
        try {
            a.session().readable(a.socket(), (DatagramChannel) key.channel(), buffer, wakeNanos);
        } catch (IOException e) {
            key.cancel(); // the socket is closed or broken; the call's own teardown releases it
        } catch (RuntimeException e) {
            // A bug in one call's packet handling: discard that call's media, keep the loop and the other calls.
            log.error("media session {} on {}: {}", a.session().callId(), name, e.toString(), e);
            a.session().fail("media relay error: " + e);
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("media loop {} task failed: {}", name, e.toString(), e);
            }
        }
    }

    private void fail(Throwable t) {
        failure = t.toString();
        running = false;
        MediaSession[] lost = ticking;
        log.error("media loop {} failed; the media of its {} calls is lost: {}", name, lost.length, t.toString(), t);
        for (MediaSession session : lost) {
            failQuietly(session);
        }
    }

    /** After the loop ended: calls still waiting to open here are told, the other tasks have nobody to run for. */
    private void drainEnded() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            if (task instanceof Open open && failure != null) {
                failQuietly(open.session());
            }
        }
    }

    private void failQuietly(MediaSession session) {
        try {
            session.fail("media loop " + name + " failed: " + failure);
        } catch (Throwable t) { // NOPMD: tell every call, even if one cannot be told
            log.debug("media loop {}: call {} not told: {}", name, session.callId(), t.toString());
        }
    }

    private void closeSelector() {
        try {
            selector.close();
        } catch (IOException e) {
            log.debug("closing the selector of {}: {}", name, e.toString());
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.pasarela.transport.rtp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that moves the packets of many calls: a selector over every media socket, a queue of tasks from
 * other threads (configuration, DTMF, close), and a periodic tick for timers (consent, DTMF pacing). Sessions
 * registered here are only ever touched by this thread, so the per-packet path needs no locks.
 *
 * <p>The receive buffer is allocated once and reused for every packet of every call.
 */
final class MediaLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MediaLoop.class);
    /** Room for any UDP datagram we accept plus the SRTP tag we add in place. */
    static final int BUFFER_BYTES = 2048;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<MediaSession> sessions = new ArrayList<>();
    /** The sessions as an array for the 10 ms tick: rebuilt when a call comes or goes, not on every tick. */
    private MediaSession[] ticking = new MediaSession[0];
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    private volatile boolean running = true;
    private long nextTickNanos;

    MediaLoop(String name) throws IOException {
        this.selector = Selector.open();
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Runs {@code task} on the loop thread, soon. Any thread. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
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
        sessions.remove(session);
        ticking = sessions.toArray(new MediaSession[0]);
        for (DatagramChannel channel : channels) {
            SelectionKey key = channel.keyFor(selector); // the call's own keys, not a scan of every call's
            if (key != null) {
                key.cancel();
            }
        }
    }

    int sessionCount() {
        return sessions.size();
    }

    private record Attachment(MediaSession session, MediaSession.Socket socket) {}

    private void run() {
        nextTickNanos = System.nanoTime() + TICK_NANOS;
        while (running) {
            try {
                long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextTickNanos - System.nanoTime()));
                selector.select(waitMs);
                long now = System.nanoTime();
                readReady(now);
                runTasks();
                if (now - nextTickNanos >= 0) {
                    nextTickNanos = now + TICK_NANOS;
                    for (MediaSession session : ticking) {
                        session.tick(now);
                    }
                }
            } catch (ClosedChannelException e) {
                // a call closed its sockets between select and read: nothing to do
            } catch (IOException | RuntimeException e) {
                if (running) {
                    log.error("media loop {}: {}", thread.getName(), e.toString(), e);
                }
            }
        }
    }

    private void readReady(long now) {
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            if (!key.isValid() || !(key.attachment() instanceof Attachment a)) {
                continue;
            }
            try {
                a.session().readable(a.socket(), (DatagramChannel) key.channel(), buffer, now);
            } catch (IOException e) {
                key.cancel(); // the socket is closed or broken; the call's own teardown releases it
            } catch (RuntimeException e) {
                log.error("media session {}: {}", a.session().callId(), e.toString(), e);
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("media loop task failed: {}", e.toString(), e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.debug("closing selector: {}", e.toString());
        }
    }
}

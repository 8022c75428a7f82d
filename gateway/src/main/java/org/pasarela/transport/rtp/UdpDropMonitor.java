package org.pasarela.transport.rtp;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator when the kernel drops datagrams at the gateway's UDP sockets. A media socket's receive buffer
 * ({@code media.socket-receive-buffer}) is a bounded queue: when the media loops fall behind, the kernel drops what
 * does not fit instead of delivering stale audio late, and nothing in the gateway sees it happen. The benchmark's
 * 1000-call run lost a third of its packets that way, and the calls whose ICE consent checks were among them ended
 * after 30 s (docs/benchmarks.md, finding 10). This samples the kernel's counters every {@code period}, logs a
 * warning for each period with drops, and keeps the total for /health. Drops in a socket's last period before it
 * closed are not seen (its counter goes with it), so the total is a lower bound.
 *
 * <p>Thread-safe: sampling runs on the scheduler; {@link #total()} from any thread.
 */
public final class UdpDropMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UdpDropMonitor.class);

    private final Path proc;
    private final Duration period;
    private final UdpDropTally tally = new UdpDropTally();
    private ScheduledFuture<?> sampling;
    private boolean unreadableLogged;

    /** Samples /proc every {@code period} on {@code scheduler}, starting now. */
    public static UdpDropMonitor start(ScheduledExecutorService scheduler, Duration period) {
        return start(Path.of("/proc"), scheduler, period);
    }

    static UdpDropMonitor start(Path proc, ScheduledExecutorService scheduler, Duration period) {
        UdpDropMonitor monitor = new UdpDropMonitor(proc, period);
        monitor.sampling = scheduler.scheduleWithFixedDelay(monitor::sample, 0, period.toMillis(),
                TimeUnit.MILLISECONDS);
        return monitor;
    }

    /** A monitor that samples only when {@link #sample()} is called (tests). */
    UdpDropMonitor(Path proc, Duration period) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("sampling period " + period + " must be positive");
        }
        this.proc = proc;
        this.period = period;
    }

    /**
     * One sample; on the scheduler (and in tests). Never throws: a broken read must not stop later ones.
     * Synchronized: the tally takes one snapshot after the other.
     */
    synchronized void sample() {
        try {
            long added = tally.add(KernelUdpDrops.snapshot(proc));
            if (added > 0) {
                log.warn("the kernel dropped {} datagrams at the gateway's UDP sockets in the last {} s ({} since"
                        + " start): their receive buffers were full, so the media loops (or the SIP stack) are not"
                        + " keeping up; look at the CPU, media.threads and media.socket-receive-buffer", added,
                        period.toSeconds(), tally.total());
            }
        } catch (IOException | RuntimeException e) {
            if (!unreadableLogged) {
                unreadableLogged = true;
                log.warn("cannot read the kernel's UDP drop counters under {}: {} (socket drops will not be"
                        + " reported)", proc, e.toString());
            }
        }
    }

    /** Datagrams dropped at the gateway's UDP sockets since start, as of the last sample. */
    public long total() {
        return tally.total();
    }

    @Override
    public synchronized void close() {
        if (sampling != null) {
            sampling.cancel(false);
        }
    }
}

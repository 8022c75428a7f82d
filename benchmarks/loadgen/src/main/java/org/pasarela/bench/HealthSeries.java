package org.pasarela.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Once a second (or every {@code --series-seconds}) from the first call to the end of the window: how busy the gateway says each media thread was
 * ({@code /health} mediaBusyPercent), the calls carrying media, and the datagrams the kernel has dropped at the
 * gateway's media ports so far. It shows when a run's loss happened (while ramping or in the window) against what
 * the gateway's call refusal (media.max-busy-percent) saw.
 *
 * <p>Each row also splits that busy figure, for the second since the last row: the CPU the media threads used
 * ({@code mediaCpu}, percent of one core, all media threads together), the time they were runnable but waiting for
 * a CPU ({@code mediaWait}), their wake-ups ({@code mediaWakeUps}); the CPU of the whole gateway, of this client, of
 * the far ends (SIPp) and of the machine ({@code gatewayCpu}, {@code clientCpu}, {@code farEndCpu},
 * {@code machineCpu}; percent of one core), and the time the hypervisor ran others while this machine had work
 * ({@code machineSteal}). The busy reading is wall time, so a climb in it is either the threads' own work or the
 * machine making them wait.
 */
final class HealthSeries implements AutoCloseable {
    private static final Pattern BUSY = Pattern.compile("\"mediaBusyPercent\":\\[([0-9,]*)]");

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "health-series");
        t.setDaemon(true);
        return t;
    });
    private final ArrayNode rows;
    private final long start = System.nanoTime();
    private final long gatewayPid;
    private final long clientPid = ProcessHandle.current().pid();
    private final long[] farEndPids;
    /** The counters at the previous row; null before the first. Touched by the timer thread only. */
    private Counters previous;

    /**
     * @param periodSeconds seconds between rows: 1 normally; more to see what sampling once a second costs the
     *                      machine it measures (it reads /health and /proc, /proc/net/udp and udp6 whole)
     */
    HealthSeries(ArrayNode rows, HttpClient http, URI health, List<LeanCall> calls, IntPredicate gatewayPorts,
                 long gatewayPid, long[] farEndPids, int periodSeconds) {
        if (periodSeconds < 1) throw new IllegalArgumentException("--series-seconds must be 1 or more, not " + periodSeconds);
        this.rows = rows;
        this.gatewayPid = gatewayPid;
        this.farEndPids = farEndPids.clone();
        HttpRequest request = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(1)).build();
        timer.scheduleAtFixedRate(() -> {
            try {
                String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = BUSY.matcher(body);
                int media = 0;
                for (LeanCall c : List.copyOf(calls)) if (c.media) media++;
                ObjectNode row = Signaling.JSON.createObjectNode();
                row.put("s", Math.round((System.nanoTime() - start) / 1e8) / 10.0).put("media", media)
                        .put("gatewayDrops", ProcStats.udpDrops(gatewayPorts));
                ArrayNode busy = row.putArray("busy");
                if (m.find() && !m.group(1).isEmpty()) {
                    for (String v : m.group(1).split(",")) busy.add(Integer.parseInt(v));
                }
                try {
                    putSplit(row, Counters.read(gatewayPid, clientPid, farEndPids));
                } catch (IOException | RuntimeException e) {
                    previous = null; // the row keeps the gateway's own figures; the split starts again next second
                }
                synchronized (rows) {
                    rows.add(row);
                }
            } catch (Exception e) {
                // one missed sample; the next one tries again
            }
        }, 0, periodSeconds, TimeUnit.SECONDS);
    }

    /** The per-second figures since the previous row; none on the first row, which has nothing to subtract. */
    private void putSplit(ObjectNode row, Counters now) {
        Counters before = previous;
        previous = now;
        if (before == null) return;
        double seconds = (now.machine.nanos() - before.machine.nanos()) / 1e9;
        row.put("mediaCpu", percent(now.mediaCpu - before.mediaCpu, seconds))
                .put("mediaWait", percent(now.mediaWait - before.mediaWait, seconds))
                .put("mediaWakeUps", Math.round((now.mediaWakeUps - before.mediaWakeUps) / seconds))
                .put("gatewayCpu", percent(now.gatewayCpu - before.gatewayCpu, seconds))
                .put("clientCpu", percent(now.clientCpu - before.clientCpu, seconds))
                .put("machineCpu", tenths(now.machine.busyPercent(before.machine)))
                .put("machineSteal", tenths(now.machine.stealPercent(before.machine)));
        if (!Double.isNaN(now.farEndCpu) && !Double.isNaN(before.farEndCpu)) {
            row.put("farEndCpu", percent(now.farEndCpu - before.farEndCpu, seconds));
        }
    }

    private static double percent(double busySeconds, double seconds) {
        return tenths(100 * busySeconds / seconds);
    }

    private static double tenths(double value) {
        return Math.round(10 * value) / 10.0;
    }

    /**
     * Cumulative counters at one instant: seconds of CPU or of waiting, wake-ups as a count. {@code farEndCpu} is NaN
     * when a far end could not be read (it ended).
     */
    private record Counters(ProcStats.MachineSample machine, double mediaCpu, double mediaWait, double mediaWakeUps,
                            double gatewayCpu, double clientCpu, double farEndCpu) {
        private static final String MEDIA_THREADS = "media-#";

        static Counters read(long gatewayPid, long clientPid, long[] farEndPids) throws IOException {
            double farEnd = 0;
            for (long pid : farEndPids) {
                try {
                    farEnd += ProcStats.cpuSeconds(pid);
                } catch (IOException e) {
                    farEnd = Double.NaN;
                }
            }
            // the processes first, the machine last with the clock: the busy figure's span is its own
            double mediaCpu = ProcStats.threadCpuSeconds(gatewayPid).getOrDefault(MEDIA_THREADS, 0.0);
            double mediaWait = ProcStats.threadRunQueueSeconds(gatewayPid).getOrDefault(MEDIA_THREADS, 0.0);
            double mediaWakeUps = ProcStats.threadWakeUps(gatewayPid).getOrDefault(MEDIA_THREADS, 0.0);
            double gatewayCpu = ProcStats.cpuSeconds(gatewayPid);
            double clientCpu = ProcStats.cpuSeconds(clientPid);
            return new Counters(ProcStats.MachineSample.now(), mediaCpu, mediaWait, mediaWakeUps, gatewayCpu,
                    clientCpu, farEnd);
        }
    }

    /** Stops sampling and waits for a sample under way, so that the rows can be written out. Idempotent. */
    @Override
    public void close() throws InterruptedException {
        timer.shutdown(); // not shutdownNow: interrupting the sample under way would lose it
        timer.awaitTermination(2, TimeUnit.SECONDS);
    }
}

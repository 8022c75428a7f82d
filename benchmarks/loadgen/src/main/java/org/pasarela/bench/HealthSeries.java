package org.pasarela.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Once a second from the first call to the end of the window: how busy the gateway says each media thread was
 * ({@code /health} mediaBusyPercent), the calls carrying media, and the datagrams the kernel has dropped at the
 * gateway's media ports so far. It shows when a run's loss happened (while ramping or in the window) against what
 * the gateway's call refusal (media.max-busy-percent) saw.
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

    HealthSeries(ArrayNode rows, HttpClient http, URI health, List<LeanCall> calls, IntPredicate gatewayPorts) {
        this.rows = rows;
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
                synchronized (rows) {
                    rows.add(row);
                }
            } catch (Exception e) {
                // one missed sample; the next second tries again
            }
        }, 0, 1, TimeUnit.SECONDS);
    }

    /** Stops sampling and waits for a sample under way, so that the rows can be written out. Idempotent. */
    @Override
    public void close() throws InterruptedException {
        timer.shutdown(); // not shutdownNow: interrupting the sample under way would lose it
        timer.awaitTermination(2, TimeUnit.SECONDS);
    }
}

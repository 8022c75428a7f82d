package org.pasarela.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import org.pasarela.transport.dtls.Certificates;
import org.pasarela.transport.dtls.DtlsCertificate;

/**
 * The lean load generator. Modes:
 * <ul>
 *   <li>{@code calls}: open N calls at R per second, hold them, measure the gateway over a window, stop media,
 *       count, hang up; prints one JSON object.</li>
 *   <li>{@code setups}: open N calls at R per second without media, each hung up 1 s after DTLS connected;
 *       setup latency and the achieved rate.</li>
 *   <li>{@code echo}: N plain RTP streams straight to the echo (no gateway) over the window: the baseline RTT.</li>
 * </ul>
 * {@code --churn R [--churn-hold S]} (mode {@code calls}): while the N calls carry media, R more calls a second are
 * set up, held S seconds without media and hung up, from the settling time to the end of the window.
 * {@code --warmup-calls K [--warmup-rate R]} first runs K short calls without media, unmeasured.
 * {@code --phases slots|spread} places the calls' packets in the packet time ({@link MediaIo.Phases}).
 * Every wait is bounded; the process exits when done.
 */
public final class LeanLoad {
    private final Map<String, String> o;

    private LeanLoad(Map<String, String> options) {
        this.o = options;
    }

    /** {@code --phases slots|spread}: where in the packet time the calls send; slots (runs up to 14) by default. */
    private MediaIo.Phases phases() {
        String phases = o.getOrDefault("phases", "slots");
        for (MediaIo.Phases p : MediaIo.Phases.values()) {
            if (p.name().equalsIgnoreCase(phases)) return p;
        }
        throw new IllegalArgumentException("--phases must be slots or spread, not " + phases);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("mode", "calls", "calls", "10", "rate", "50", "window", "20",
                "settle", "3", "parallel", "32", "user", "alice", "password", "secret", "to", "1000"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --name value, got " + args[i]);
            options.put(args[i].substring(2), args[i + 1]);
        }
        if (options.containsKey("warmup-calls")) warmUp(options);
        LeanLoad load = new LeanLoad(options);
        ObjectNode result = switch (options.get("mode")) {
            case "calls" -> load.calls(true);
            case "setups" -> load.calls(false);
            case "echo" -> load.echo();
            default -> throw new IllegalArgumentException("unknown --mode " + options.get("mode"));
        };
        System.out.println("RESULT " + Signaling.JSON.writeValueAsString(result));
        System.exit(0);
    }

    /**
     * Short calls without media before the measured run, from this same JVM: the gateway's JIT and this client's
     * own are both warm when the measurement starts (a warm-up from another process leaves the client cold, and
     * its compiler then competes with the gateway for the two cores).
     */
    private static void warmUp(Map<String, String> options) throws Exception {
        Map<String, String> warm = new HashMap<>(options);
        warm.put("mode", "setups");
        warm.put("calls", options.get("warmup-calls"));
        warm.put("rate", options.getOrDefault("warmup-rate", "30"));
        ObjectNode r = new LeanLoad(warm).calls(false);
        if (r.path("failed").asInt() > 0) {
            throw new IllegalStateException("warm-up: " + r.path("failed").asInt() + " calls failed: " + r.path("failures"));
        }
        System.err.println("warm-up: " + r);
    }

    private int integer(String name) {
        return Integer.parseInt(o.get(name));
    }

    /** {@code --churn R}: calls a second set up while the N calls carry media; 0 for none. */
    private double churnRate() {
        return Double.parseDouble(o.getOrDefault("churn", "0"));
    }

    /** {@code --churn-hold S}: how long each churn call is held before it is hung up. */
    private double churnHoldSeconds() {
        return Double.parseDouble(o.getOrDefault("churn-hold", "1"));
    }

    private ObjectNode calls(boolean withMedia) throws Exception {
        int n = integer("calls");
        double rate = Double.parseDouble(o.get("rate"));
        long gwPid = Long.parseLong(o.get("gw-pid"));
        String offer = Files.readString(Path.of(o.get("offer")));
        DtlsCertificate cert = Certificates.generateEcdsaP256(new SecureRandom(), Instant.now());
        HttpClient http = HttpClient.newHttpClient();
        boolean janus = o.containsKey("janus");
        URI ws = URI.create(janus ? o.get("janus") : o.get("ws"));
        // A churn call (--churn) holds a thread for its setup and its hold: enough for R a second held S seconds.
        int churnThreads = (int) Math.ceil(churnRate() * (churnHoldSeconds() + 2));
        ExecutorService setupPool = Executors.newFixedThreadPool(integer("parallel") + churnThreads);
        ExecutorService dtlsPool = Executors.newFixedThreadPool(integer("parallel"));
        ObjectNode r = Signaling.JSON.createObjectNode();
        r.put("mode", o.get("mode")).put("calls", n).put("rate", rate);
        long rssIdle = ProcStats.rssKb(gwPid);
        long echoDropsAtStart = ProcStats.udpDrops(echoPorts()::contains);
        ProcStats.LiveHeap heapIdle = withMedia && o.containsKey("heap") ? ProcStats.liveHeap(gwPid) : null;
        int threadsIdle = ProcStats.threads(gwPid);
        double cpuRamp0 = ProcStats.cpuSeconds(gwPid);
        double selfRamp0 = ProcStats.cpuSeconds(ProcessHandle.current().pid());
        Map<String, Double> rampThreads0 = ProcStats.threadCpuSeconds(gwPid);
        List<LeanCall> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> setups = new ArrayList<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        long[] setupMicros = new long[n];
        long[] answerMicros = new long[n];
        long[] lessClientMicros = new long[n];
        long[] doneAt = new long[n];
        Arrays.fill(setupMicros, -1);
        // The protocol's own "ping" every 20 s on each WebSocket: the gateway closes a WebSocket after 60 s
        // without an inbound frame, and its idle timer does not see WebSocket Pong frames (see docs/benchmarks.md).
        java.util.concurrent.ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor();
        keepAlive.scheduleAtFixedRate(() -> {
            for (LeanCall c : List.copyOf(calls)) {
                if (c.signaling != null && !c.janus && !c.hungUp.isDone()) {
                    try {
                        c.signaling.send(c.signaling.message("ping").put("id", "k"));
                    } catch (Exception e) {
                        // the next round tries again
                    }
                }
            }
        }, 20, 20, TimeUnit.SECONDS);
        // The gateway's own view of its media threads, a row a second by default (--series-seconds; not against Janus,
        // which has no /health).
        HealthSeries health = withMedia && !janus
                ? new HealthSeries(r.putArray("healthSeries"), http, URI.create(ws.toString()
                        .replaceFirst("^ws", "http").replaceFirst("/[^/:]*$", "/health")), calls, gatewayPorts(), gwPid,
                        farEndPids(), Integer.parseInt(o.getOrDefault("series-seconds", "1")))
                : null;
        try (MediaIo io = new MediaIo(phases())) {
            Dialer dialer = new Dialer(http, ws, janus, offer, cert, dtlsPool, io);
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long due = start + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                LeanCall call = new LeanCall(i, o.getOrDefault("bind", "127.0.0.1"));
                calls.add(call);
                final int k = i;
                setups.add(setupPool.submit(() -> {
                    try {
                        dialer.setUp(call, k);
                        setupMicros[k] = call.connectedNanos / 1000;
                        answerMicros[k] = call.answeredNanos / 1000;
                        lessClientMicros[k] = (call.connectedNanos - call.clientDtlsCpuNanos) / 1000;
                        doneAt[k] = System.nanoTime();
                        if (withMedia) {
                            call.media = true;
                        } else {
                            dialer.holdAndHangUp(call, 1);
                        }
                    } catch (Exception e) {
                        failures.add("call " + k + ": " + e);
                    }
                    return null;
                }));
            }
            for (Future<?> f : setups) {
                long left = start + TimeUnit.SECONDS.toNanos(60 + (long) (n / rate)) - System.nanoTime();
                try {
                    f.get(Math.max(1, left), TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    failures.add("setup did not finish: " + e);
                }
            }
            long lastDone = Arrays.stream(doneAt).max().orElse(start);
            double cpuRamp = ProcStats.cpuSeconds(gwPid) - cpuRamp0;
            double rampSeconds = (System.nanoTime() - start) / 1e9;
            long[] ok = Arrays.stream(setupMicros).filter(v -> v >= 0).sorted().toArray();
            long[] ans = Arrays.stream(answerMicros).filter(v -> v > 0).sorted().toArray();
            r.put("connected", ok.length).put("failed", n - ok.length);
            r.put("setupMedianMs", pct(ok, 0.5)).put("setupP95Ms", pct(ok, 0.95)).put("setupP99Ms", pct(ok, 0.99));
            r.put("answeredMedianMs", pct(ans, 0.5)).put("answeredP99Ms", pct(ans, 0.99));
            // The setup time less this client's own DTLS CPU: what the gateway (and SIPp's answer, and loopback) adds.
            long[] added = java.util.stream.IntStream.range(0, n).filter(i -> setupMicros[i] >= 0)
                    .mapToLong(i -> lessClientMicros[i]).sorted().toArray();
            r.put("addedSetupMedianMs", pct(added, 0.5)).put("addedSetupP95Ms", pct(added, 0.95))
                    .put("addedSetupP99Ms", pct(added, 0.99));
            r.put("setupsPerSecond", ok.length / Math.max(1e-9, (lastDone - start) / 1e9));
            r.put("rampCpuPercent", 100 * cpuRamp / rampSeconds);
            r.put("clientRampCpuPercent", 100 * (ProcStats.cpuSeconds(ProcessHandle.current().pid()) - selfRamp0) / rampSeconds);
            // Where a setup's CPU goes in the gateway, JIT and GC threads included (JFR samples neither).
            putByThread(r.putObject("rampCpuMsPerSetupByThread"), rampThreads0, ProcStats.threadCpuSeconds(gwPid),
                    1000.0 / Math.max(1, ok.length), 0.05);
            ArrayNode f = r.putArray("failures");
            failures.stream().limit(10).forEach(f::add);
            if (withMedia) {
                measure(r, calls, io, gwPid, rssIdle, threadsIdle, echoDropsAtStart, dialer, setupPool);
                if (health != null) health.close(); // the series ends with the window, before the hang-ups
                ProcStats.LiveHeap heap = heapIdle == null ? null : ProcStats.liveHeap(gwPid);
                if (heap != null) {
                    int active = Math.max(1, r.path("activeCalls").asInt());
                    r.put("liveHeapIdleKb", heapIdle.totalKb()).put("liveHeapKb", heap.totalKb())
                            .put("liveHeapPerCallKb", (heap.totalKb() - heapIdle.totalKb()) / (double) active);
                    putHeapPerCall(r.putObject("liveHeapPerCallByClass"), heapIdle, heap, active, 15);
                }
            }
            for (LeanCall c : calls) {
                if (c.callId != null && !c.hungUp.isDone()) c.hangup();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            int notHungUp = 0;
            for (LeanCall c : calls) {
                if (c.callId == null) continue;
                try {
                    c.hungUp.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    notHungUp++;
                }
                if (c.signaling != null) c.signaling.close();
                c.channel.close();
            }
            r.put("hangupsUnanswered", notHungUp);
        } finally {
            if (health != null) health.close();
            keepAlive.shutdownNow();
            setupPool.shutdownNow();
            dtlsPool.shutdownNow();
        }
        return r;
    }

    /**
     * {@code --capture-calls K}: the gateway ports of K calls, as " LOW-HIGH", for a capture of those calls only;
     * empty for all of them. The gateway binds a call's sockets in a row from one cursor (PortAllocator), so the K
     * calls with the lowest browser-side ports hold every port from the first of them to just before the next
     * call's. A capture of every call costs the machine at each packet (the kernel's copy to the capture socket,
     * dumpcap's own CPU), which is what the latency it measures is made of.
     */
    private String captureSpan(List<LeanCall> calls) {
        int k = Integer.parseInt(o.getOrDefault("capture-calls", "0"));
        int[] ports = calls.stream().filter(c -> c.gateway != null).mapToInt(c -> c.gateway.getPort()).sorted().toArray();
        if (k <= 0 || k >= ports.length) return "";
        return " " + ports[0] + "-" + (ports[k] - 1);
    }

    /**
     * What a held call keeps on the heap: the {@code top} classes by live bytes gained per call between two
     * histograms, with the instances per call (finding 15).
     */
    private static void putHeapPerCall(ObjectNode into, ProcStats.LiveHeap before, ProcStats.LiveHeap after, int calls,
                                       int top) {
        after.byClass().entrySet().stream()
                .map(e -> {
                    long[] b = before.byClass().getOrDefault(e.getKey(), new long[2]);
                    return Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]});
                })
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .limit(top)
                .forEach(e -> into.putObject(e.getKey())
                        .put("bytes", Math.round(10.0 * e.getValue()[1] / calls) / 10.0)
                        .put("instances", Math.round(100.0 * e.getValue()[0] / calls) / 100.0));
    }

    /** Each thread's CPU seconds between two readings, times {@code scale}, largest first, those under {@code min} left out. */
    private static void putByThread(ObjectNode into, Map<String, Double> before, Map<String, Double> after, double scale,
                                    double min) {
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), scale * (e.getValue() - before.getOrDefault(e.getKey(), 0.0))))
                .filter(e -> e.getValue() >= min)
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(e -> into.put(e.getKey(), Math.round(e.getValue() * 100) / 100.0));
    }

    private void measure(ObjectNode r, List<LeanCall> calls, MediaIo io, long gwPid, long rssIdle, int threadsIdle,
                         long echoDropsAtStart, Dialer dialer, ExecutorService setupPool) throws Exception {
        // --churn R: from here to the end of the window, R more calls a second are set up and hung up while the N
        // calls carry media, as in a gateway in service (finding 15).
        Churn churn = churnRate() > 0 ? new Churn(dialer, setupPool, churnRate(), churnHoldSeconds(), calls.size()) : null;
        TimeUnit.SECONDS.sleep(integer("settle"));
        if (o.containsKey("capture-seconds")) {
            // Before the measured window, so that the capture's own CPU does not weigh on it: the driver starts a
            // capture when it reads this line and stops it when the next one comes.
            System.out.println("CAPTURE START" + captureSpan(calls));
            System.out.flush();
            TimeUnit.MILLISECONDS.sleep((long) (Double.parseDouble(o.get("capture-seconds")) * 1000));
            System.out.println("CAPTURE STOP");
            System.out.flush();
            TimeUnit.SECONDS.sleep(1);
        }
        double window = Double.parseDouble(o.get("window"));
        long self = ProcessHandle.current().pid();
        // Both bounds are set before the window opens, so that the send and the receive thread, which judge a
        // packet by its send time, agree on which packets are in it (start first: an end without a start is empty)
        long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long t1 = t0 + (long) (window * 1e9);
        io.windowStart = t0;
        io.windowEnd = t1;
        TimeUnit.NANOSECONDS.sleep(Math.max(0, t0 - System.nanoTime()));
        double cpu0 = ProcStats.cpuSeconds(gwPid);
        double self0 = ProcStats.cpuSeconds(self);
        Map<String, Double> threads0 = ProcStats.threadCpuSeconds(gwPid);
        Map<String, Double> waits0 = ProcStats.threadRunQueueSeconds(gwPid);
        Map<String, Double> wakeUps0 = ProcStats.threadWakeUps(gwPid);
        ProcStats.MachineSample machine0 = ProcStats.MachineSample.now();
        System.out.println("WINDOW START"); // the driver starts a profiler on this line (run.js --profile)
        System.out.flush();
        io.recordRtt = true;
        TimeUnit.NANOSECONDS.sleep(Math.max(0, t1 - System.nanoTime()));
        io.recordRtt = false;
        if (churn != null) churn.stopDialling();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = ProcStats.cpuSeconds(gwPid) - cpu0;
        double selfCpu = ProcStats.cpuSeconds(self) - self0;
        ProcStats.MachineSample machine1 = ProcStats.MachineSample.now();
        Map<String, Double> threads1 = ProcStats.threadCpuSeconds(gwPid);
        Map<String, Double> waits1 = ProcStats.threadRunQueueSeconds(gwPid);
        Map<String, Double> wakeUps1 = ProcStats.threadWakeUps(gwPid);
        putByThread(r.putObject("runQueuePercentByThread"), waits0, waits1, 100 / seconds, 0.5);
        putByThread(r.putObject("wakeUpsPerSecondByThread"), wakeUps0, wakeUps1, 1 / seconds, 10);
        putByThread(r.putObject("cpuPercentByThread"), threads0, threads1, 100 / seconds, 0.5);
        long rss = ProcStats.rssKb(gwPid);
        int threads = ProcStats.threads(gwPid);
        int active = 0;
        for (LeanCall c : calls) if (c.media) active++;
        for (LeanCall c : calls) c.media = false;
        TimeUnit.MILLISECONDS.sleep(800); // the packets in flight come back
        long sent = 0, received = 0, sendFailed = 0, unprotectFailed = 0, rtcp = 0;
        int dropped = 0;
        Set<Integer> browserSide = new HashSet<>();
        Set<Integer> clientPorts = new HashSet<>();
        List<String> dropReasons = new ArrayList<>();
        for (LeanCall c : calls) {
            sent += c.sent;
            received += c.received;
            sendFailed += c.sendFailed;
            unprotectFailed += c.unprotectFailed;
            rtcp += c.rtcpReceived;
            clientPorts.add(c.localPort);
            if (c.gateway != null) browserSide.add(c.gateway.getPort());
            if (c.dropped) {
                dropped++;
                if (dropReasons.size() < 5) dropReasons.add(c.dropReason);
            }
        }
        IntPredicate gateway = gatewayPorts();
        IntPredicate echo = echoPorts()::contains;
        long dropsGwBrowser = ProcStats.udpDrops(browserSide::contains);
        long dropsGwSip = ProcStats.udpDrops(p -> gateway.test(p) && !browserSide.contains(p) && !echo.test(p)
                && !clientPorts.contains(p));
        // SIPp outlives this run: its socket counters are cumulative, so only the increase since our start counts
        long dropsEcho = ProcStats.udpDrops(echo) - echoDropsAtStart;
        long dropsClient = ProcStats.udpDrops(clientPorts::contains);
        int n = calls.size();
        r.put("activeCalls", active).put("droppedCalls", dropped);
        r.putPOJO("dropReasons", dropReasons);
        r.put("windowSeconds", seconds);
        r.put("cpuPercent", 100 * cpu / seconds).put("cpuPercentPerCall", 100 * cpu / seconds / Math.max(1, active));
        r.put("loadgenCpuPercent", 100 * selfCpu / seconds);
        r.put("machineBusyPercent", machine1.busyPercent(machine0))
                .put("machineStealPercent", machine1.stealPercent(machine0));
        r.put("rssKb", rss).put("rssIdleKb", rssIdle).put("rssPerCallKb", (rss - rssIdle) / (double) Math.max(1, n));
        r.put("threads", threads).put("threadsIdle", threadsIdle);
        r.put("sent", sent).put("received", received).put("lost", sent - received)
                .put("lossPercent", sent == 0 ? 0 : 100.0 * (sent - received) / sent);
        // The same, for the packets sent in the window only: N calls held, without the ramp (read after the drain)
        long windowSent = io.windowSent;
        long windowLost = windowSent - io.windowReceived;
        r.put("windowSent", windowSent).put("windowLost", windowLost)
                .put("windowLossPercent", windowSent == 0 ? 0 : 100.0 * windowLost / windowSent);
        r.put("sendFailed", sendFailed).put("unprotectFailed", unprotectFailed).put("rtcpReceived", rtcp);
        r.put("dropsGatewayBrowserSide", dropsGwBrowser).put("dropsGatewaySipSide", dropsGwSip)
                .put("dropsEcho", dropsEcho).put("dropsClient", dropsClient);
        r.put("rttSamples", io.rtt.count()).put("rttMedianMs", io.rtt.percentileMs(0.5))
                .put("rttP99Ms", io.rtt.percentileMs(0.99));
        if (churn != null) churn.finish(r.putObject("churn"));
    }

    /** Sets calls up against the gateway (or Janus) and hangs short ones up: the same steps for every mode. */
    private final class Dialer {
        private final HttpClient http;
        private final URI ws;
        private final boolean janus;
        private final String offer;
        private final DtlsCertificate cert;
        private final ExecutorService dtlsPool;
        private final MediaIo io;

        Dialer(HttpClient http, URI ws, boolean janus, String offer, DtlsCertificate cert, ExecutorService dtlsPool,
               MediaIo io) {
            this.http = http;
            this.ws = ws;
            this.janus = janus;
            this.offer = offer;
            this.cert = cert;
            this.dtlsPool = dtlsPool;
            this.io = io;
        }

        /** Call {@code k}: signaling, ICE and DTLS; returns with SRTP keys in place. */
        void setUp(LeanCall call, int k) throws Exception {
            if (janus) {
                call.setupJanus(Signaling.connect(http, ws, "janus-protocol"), pick(o.get("sip-uri"), k), offer, cert,
                        dtlsPool, io);
            } else {
                call.setup(Signaling.connect(http, ws, null), o.get("user"), o.get("password"), pick(o.get("profile"), k),
                        o.get("to"), offer, cert, dtlsPool, io, true);
            }
        }

        /** A call set up without media: held {@code seconds}, hung up, and everything it opened closed. */
        void holdAndHangUp(LeanCall call, double seconds) throws Exception {
            try {
                TimeUnit.MILLISECONDS.sleep((long) (seconds * 1000));
                call.hangup();
                call.hungUp.get(5, TimeUnit.SECONDS);
            } finally {
                close(call);
            }
        }

        /** A call whose setup failed: hung up if the gateway had taken it, and everything it opened closed. */
        void abandon(LeanCall call) {
            if (call.callId != null) call.hangup(); // bounded, and a no-op once the call has ended
            close(call);
        }

        private void close(LeanCall call) {
            if (call.signaling != null) call.signaling.close();
            io.unregister(call);
            try {
                call.channel.close();
            } catch (java.io.IOException e) {
                // nothing left to release
            }
        }
    }

    /**
     * {@code --churn R [--churn-hold S]}: R calls a second set up, held S seconds without media and hung up, from
     * its start until {@link #stopDialling}. Their setup times are reported apart from the N calls'. What it is for:
     * a gateway in service sets calls up while it relays others, and setting a call up allocates (about 0.8 MiB per
     * call, JFR), so the collector runs while media flows; N held calls alone never show that.
     */
    private final class Churn {
        private final Thread driver;
        private final List<Future<?>> running = java.util.Collections.synchronizedList(new ArrayList<>());
        private final ConcurrentLinkedQueue<Long> connectedMicros = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final AtomicInteger setupsFailed = new AtomicInteger();
        private final AtomicInteger hangUpsFailed = new AtomicInteger();
        private final AtomicInteger endedByGateway = new AtomicInteger();
        /** The longest a call waited for a thread of the pool after its time came: setup times start after it. */
        private final AtomicLong longestQueueNanos = new AtomicLong();
        private final double rate;
        private final double holdSeconds;
        private final long started = System.nanoTime();
        private volatile boolean dialling = true;
        private volatile long stoppedAt;

        Churn(Dialer dialer, ExecutorService pool, double rate, double holdSeconds, int firstIndex) {
            this.rate = rate;
            this.holdSeconds = holdSeconds;
            driver = new Thread(() -> {
                for (int i = 0; dialling; i++) {
                    long due = started + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    try {
                        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (!dialling) return;
                    int k = firstIndex + i;
                    running.add(pool.submit(() -> {
                        longestQueueNanos.accumulateAndGet(System.nanoTime() - due, Math::max);
                        LeanCall call = null;
                        boolean connected = false;
                        try {
                            call = new LeanCall(k, o.getOrDefault("bind", "127.0.0.1"));
                            dialer.setUp(call, k);
                            connected = true;
                            connectedMicros.add(call.connectedNanos / 1000);
                            dialer.holdAndHangUp(call, holdSeconds);
                            if (call.dropped) {
                                endedByGateway.incrementAndGet();
                                failures.add("churn call " + k + " ended by the gateway: " + call.dropReason);
                            }
                        } catch (Exception e) {
                            (connected ? hangUpsFailed : setupsFailed).incrementAndGet();
                            failures.add("churn call " + k + (connected ? " hang-up: " : ": ") + e);
                            if (call != null && !connected) dialer.abandon(call);
                        }
                        return null;
                    }));
                }
            }, "churn");
            driver.setDaemon(true);
            driver.start();
        }

        void stopDialling() {
            dialling = false;
            stoppedAt = System.nanoTime();
            driver.interrupt();
        }

        /** Waits (bounded) for the calls still up and reports them. */
        void finish(ObjectNode into) throws InterruptedException {
            if (dialling) stopDialling();
            driver.join(5_000);
            // a setup's own waits are bounded (10-35 s), then the hold and 5 s for the hang-up's answer
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45 + (long) Math.ceil(holdSeconds));
            int unfinished = 0;
            for (Future<?> f : List.copyOf(running)) {
                try {
                    f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    unfinished++;
                }
            }
            long[] ok = connectedMicros.stream().mapToLong(Long::longValue).sorted().toArray();
            int offered = running.size();
            into.put("rate", rate).put("offered", offered).put("connected", ok.length)
                    .put("failed", setupsFailed.get()).put("unfinished", unfinished)
                    .put("hangUpsFailed", hangUpsFailed.get()).put("endedByGateway", endedByGateway.get())
                    .put("longestQueueMs", longestQueueNanos.get() / 1e6)
                    .put("seconds", (stoppedAt - started) / 1e9)
                    .put("setupMedianMs", pct(ok, 0.5)).put("setupP95Ms", pct(ok, 0.95)).put("setupP99Ms", pct(ok, 0.99))
                    .put("setupMaxMs", ok.length == 0 ? -1 : ok[ok.length - 1] / 1000.0);
            ArrayNode f = into.putArray("failures");
            failures.stream().limit(10).forEach(f::add);
        }
    }

    private ObjectNode echo() throws Exception {
        int n = integer("calls");
        String[] echoPorts = o.get("echo-port").split(",");
        List<LeanCall> streams = new ArrayList<>();
        ObjectNode r = Signaling.JSON.createObjectNode().put("mode", "echo").put("calls", n);
        try (MediaIo io = new MediaIo(phases())) {
            for (int i = 0; i < n; i++) {
                LeanCall c = new LeanCall(i, o.getOrDefault("bind", "127.0.0.1"));
                c.plain = true;
                c.gateway = new InetSocketAddress("127.0.0.1", Integer.parseInt(echoPorts[i % echoPorts.length]));
                streams.add(c);
                io.register(c);
                c.media = true;
            }
            TimeUnit.SECONDS.sleep(1);
            io.recordRtt = true;
            TimeUnit.MILLISECONDS.sleep((long) (Double.parseDouble(o.get("window")) * 1000));
            io.recordRtt = false;
            for (LeanCall c : streams) c.media = false;
            TimeUnit.MILLISECONDS.sleep(500);
            long sent = 0, received = 0;
            for (LeanCall c : streams) {
                sent += c.sent;
                received += c.received;
                c.channel.close();
            }
            r.put("sent", sent).put("received", received).put("lost", sent - received);
            r.put("rttSamples", io.rtt.count()).put("rttMedianMs", io.rtt.percentileMs(0.5))
                    .put("rttP99Ms", io.rtt.percentileMs(0.99));
        }
        return r;
    }

    /** The gateway's RTP port range ({@code --gw-ports MIN-MAX}); nothing when not given. */
    private IntPredicate gatewayPorts() {
        String[] range = o.getOrDefault("gw-ports", "0-0").split("-");
        int min = Integer.parseInt(range[0]), max = Integer.parseInt(range[1]);
        return p -> p >= min && p <= max;
    }

    /** The far ends' processes (--far-end-pids, comma-separated), for the health series' CPU split. */
    private long[] farEndPids() {
        String pids = o.get("far-end-pids");
        return pids == null || pids.isBlank() ? new long[0]
                : Arrays.stream(pids.split(",")).mapToLong(Long::parseLong).toArray();
    }

    /** The far ends' RTP and RTCP ports. */
    private Set<Integer> echoPorts() {
        Set<Integer> ports = new HashSet<>();
        for (String p : o.getOrDefault("echo-port", "-1").split(",")) {
            ports.add(Integer.parseInt(p));
            ports.add(Integer.parseInt(p) + 1);
        }
        return ports;
    }

    /** Call {@code k}'s entry of a comma-separated list (round robin): spreads calls over several far ends. */
    private static String pick(String list, int k) {
        if (list == null) return null;
        String[] items = list.split(",");
        return items[k % items.length];
    }

    private static double pct(long[] sortedMicros, double q) {
        if (sortedMicros.length == 0) return -1;
        int i = (int) Math.min(sortedMicros.length - 1, Math.ceil(q * sortedMicros.length) - 1);
        return sortedMicros[Math.max(0, i)] / 1000.0;
    }
}

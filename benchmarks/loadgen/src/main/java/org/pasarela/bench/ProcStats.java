package org.pasarela.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/** CPU time and resident memory of a process, and UDP socket drop counters, from /proc (Linux). */
final class ProcStats {
    /** USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every Linux architecture we run on. */
    static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {}

    /** utime + stime of {@code pid}, in seconds. */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": state is f[0]; utime is field 14 overall -> f[11], stime f[12]
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    }

    /**
     * The whole machine's idle and steal time since boot at one instant, from /proc/stat, with the clock read next to
     * it. Busy time is elapsed time times CPUs less idle ({@link #busyPercent}): the kernel keeps idle time exactly
     * (tickless idle) but samples user and system at each timer tick, so work that wakes on a timer and sleeps before
     * the next tick is missed there. On this machine, a process working 1 ms in every 2 ms read 52 % of a core in its
     * own /proc/PID/stat and 1 % in /proc/stat's busy fields.
     *
     * @param idleSeconds  idle + iowait, all CPUs
     * @param stealSeconds time the hypervisor gave to others while this machine had work to run
     * @param cpus         the machine's CPUs (its cpuN lines), not this process's: a client pinned with taskset sees
     *                     one processor, while idle counts them all
     */
    record MachineSample(long nanos, double idleSeconds, double stealSeconds, int cpus) {
        static MachineSample now() throws IOException {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            long nanos = System.nanoTime();
            // "cpu", then user nice system idle iowait irq softirq steal guest guest_nice, in ticks
            String[] f = lines.get(0).trim().split("\\s+");
            int cpus = (int) lines.stream().filter(l -> l.matches("cpu\\d+ .*")).count();
            return new MachineSample(nanos, (Long.parseLong(f[4]) + Long.parseLong(f[5])) / TICKS_PER_SECOND,
                    Long.parseLong(f[8]) / TICKS_PER_SECOND, cpus);
        }

        /** Percent of one CPU the machine was busy since {@code before}: 200 is two CPUs never idle. */
        double busyPercent(MachineSample before) {
            double seconds = (nanos - before.nanos) / 1e9;
            if (seconds <= 0) return 0;
            double busy = cpus * seconds - (idleSeconds - before.idleSeconds);
            return Math.max(0, Math.min(100.0 * cpus, 100 * busy / seconds));
        }

        /** Percent of one CPU the hypervisor took since {@code before}. */
        double stealPercent(MachineSample before) {
            double seconds = (nanos - before.nanos) / 1e9;
            return seconds <= 0 ? 0 : 100 * (stealSeconds - before.stealSeconds) / seconds;
        }
    }

    /** utime + stime in seconds of each thread of {@code pid}, summed by thread name with digits folded to '#'. */
    static Map<String, Double> threadCpuSeconds(long pid) throws IOException {
        return sumByThread(pid, task -> {
            String stat = Files.readString(task.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        });
    }

    /**
     * Seconds each thread of {@code pid} spent runnable but waiting for a CPU (second field of
     * /proc/PID/task/TID/schedstat), summed by thread name with digits folded to '#'.
     */
    static Map<String, Double> threadRunQueueSeconds(long pid) throws IOException {
        return sumByThread(pid, task -> Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[1]) / 1e9);
    }

    /**
     * How many times each thread of {@code pid} went to sleep of its own accord ({@code voluntary_ctxt_switches} in
     * /proc/PID/task/TID/status), summed by thread name with digits folded to '#'. For a media thread that is one
     * per {@code epoll_wait} that blocked, so one per wake-up (docs/benchmarks.md, finding 11, relates a relayed
     * packet's cost to the packets each wake-up serves).
     */
    static Map<String, Double> threadWakeUps(long pid) throws IOException {
        return sumByThread(pid, task -> {
            for (String line : Files.readAllLines(task.resolve("status"))) {
                if (line.startsWith("voluntary_ctxt_switches:")) {
                    return Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            return 0.0;
        });
    }

    /** One number read from a thread's /proc/PID/task/TID directory. */
    private interface TaskReader {
        double read(Path task) throws IOException;
    }

    private static Map<String, Double> sumByThread(long pid, TaskReader reader) throws IOException {
        Map<String, Double> byName = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim().replaceAll("\\d+", "#");
                    byName.merge(name, reader.read(task), Double::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended between list and read
                }
            }
        }
        return byName;
    }

    static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    static int threads(long pid) throws IOException {
        try (var s = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return (int) s.count();
        }
    }

    /**
     * Sum of the {@code drops} column of /proc/net/udp and /proc/net/udp6 for the sockets on a port {@code ports}
     * accepts.
     */
    static long udpDrops(IntPredicate ports) throws IOException {
        long sum = 0;
        // Both tables: the gateway's DatagramChannels are IPv6 sockets (opened without a protocol family), listed
        // only in udp6 even when bound to 127.0.0.1. Reading udp alone made the gateway's drops read 0 in every
        // run up to run 13; SIPp's and this client's sockets are IPv4.
        for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) continue; // a kernel without IPv6
            List<String> lines = Files.readAllLines(file);
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).trim().split("\\s+");
                String local = f[1];
                int port = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16);
                if (ports.test(port)) sum += Long.parseLong(f[f.length - 1]);
            }
        }
        return sum;
    }

    /** The live heap by class: instances and bytes per class name, and the total. */
    record LiveHeap(long totalBytes, Map<String, long[]> byClass) {
        long totalKb() {
            return totalBytes / 1024;
        }
    }

    private static final java.util.regex.Pattern HISTOGRAM_ROW =
            java.util.regex.Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)", java.util.regex.Pattern.MULTILINE);
    private static final java.util.regex.Pattern HISTOGRAM_TOTAL = java.util.regex.Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)");

    /**
     * Live Java heap of {@code pid}: {@code jcmd PID GC.class_histogram} runs a full GC first, lists instances and
     * bytes per class and ends with a "Total" line. null when jcmd is not there or says something else.
     */
    static LiveHeap liveHeap(long pid) {
        try {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            java.util.regex.Matcher total = HISTOGRAM_TOTAL.matcher(out);
            if (!total.find()) return null;
            Map<String, long[]> byClass = new HashMap<>();
            java.util.regex.Matcher row = HISTOGRAM_ROW.matcher(out);
            while (row.find()) {
                byClass.merge(row.group(3), new long[] {Long.parseLong(row.group(1)), Long.parseLong(row.group(2))},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
            return new LiveHeap(Long.parseLong(total.group(1)), byClass);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}

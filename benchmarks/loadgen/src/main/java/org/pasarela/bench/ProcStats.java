package org.pasarela.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /** Sum of the {@code drops} column of /proc/net/udp for sockets bound to 127.0.0.1 on a port {@code ports} accepts. */
    static long udpDrops(IntPredicate ports) throws IOException {
        long sum = 0;
        List<String> lines = Files.readAllLines(Path.of("/proc/net/udp"));
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            String local = f[1];
            int port = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
            if (ports.test(port)) sum += Long.parseLong(f[f.length - 1]);
        }
        return sum;
    }
}

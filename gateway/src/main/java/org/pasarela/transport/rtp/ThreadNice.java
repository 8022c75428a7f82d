package org.pasarela.transport.rtp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Linux nice value of the calling thread, from /proc/thread-self/stat. A media loop reads its own at start:
 * whether the JVM gave it the higher priority it asks for decides, on a busy machine, how long its packets wait
 * for a CPU (docs/benchmarks.md, finding 14: at 500 calls, one-way p99 through the gateway 7.5 ms at nice 0 and
 * 1.8 ms at nice −5, medians of 7 and 5 runs).
 */
public final class ThreadNice {
    /** Returned when the value cannot be read (not Linux, /proc not mounted). */
    public static final int UNKNOWN = Integer.MIN_VALUE;
    /** Field 19 of proc(5)'s stat line is nice; the fields after the ")" closing the name start at field 3. */
    private static final int NICE_AFTER_NAME = 19 - 3;

    private ThreadNice() {
    }

    /** The calling thread's nice value, or {@link #UNKNOWN}. */
    static int current() {
        return read(Path.of("/proc/thread-self/stat"));
    }

    /** The process's nice value (its main thread's, which every thread starts from), or {@link #UNKNOWN}. */
    public static int ofProcess() {
        return read(Path.of("/proc/self/stat"));
    }

    private static int read(Path stat) {
        try {
            return parse(Files.readString(stat));
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    /**
     * The nice value in a /proc/.../stat line. The thread's name comes second, in parentheses, and may itself hold
     * spaces and parentheses, so the fields are counted from the last ")".
     *
     * @throws IllegalArgumentException when the line is not a stat line
     */
    static int parse(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("no \")\" after the name in a stat line: " + stat);
        }
        String[] fields = stat.substring(close + 1).trim().split(" +");
        if (fields.length <= NICE_AFTER_NAME) {
            throw new IllegalArgumentException("stat line has " + (fields.length + 2) + " fields, nice is field 19");
        }
        return Integer.parseInt(fields[NICE_AFTER_NAME]);
    }
}

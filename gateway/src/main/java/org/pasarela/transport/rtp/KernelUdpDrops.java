package org.pasarela.transport.rtp;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Linux kernel's count of datagrams dropped at this process's UDP sockets because their receive buffers were
 * full: for the media sockets, the sign that the media loops are not keeping up. Read from /proc/net/udp and
 * /proc/net/udp6, both: a {@code DatagramChannel} opened without a protocol family is an IPv6 socket, listed only in
 * udp6 even when bound to 127.0.0.1 (the benchmark read udp alone for thirteen runs and saw none of the gateway's
 * drops). The tables list every socket of the network namespace; this process's are found by inode through
 * /proc/self/fd.
 */
final class KernelUdpDrops {
    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");
    /** Column of the inode and of the drop counter in /proc/net/udp{,6} lines (0-based, split on whitespace). */
    private static final int INODE_COLUMN = 9;
    private static final int DROPS_COLUMN = 12;

    private KernelUdpDrops() {
    }

    /**
     * This process's UDP sockets and their drop counters, from {@code proc} (normally /proc). Empty when the files
     * are not there (not Linux, or /proc not mounted): no drops can be told then.
     */
    static Map<Long, Long> snapshot(Path proc) throws IOException {
        Path fds = proc.resolve("self").resolve("fd");
        if (!Files.isDirectory(fds)) {
            return Map.of();
        }
        Set<Long> own = socketInodes(fds);
        Map<Long, Long> drops = new HashMap<>();
        for (String table : new String[] {"udp", "udp6"}) {
            Path file = proc.resolve("net").resolve(table);
            if (Files.isReadable(file)) { // udp6 is missing on a kernel without IPv6
                addDrops(Files.readString(file), own, drops);
            }
        }
        return drops;
    }

    /** The inodes of the sockets among the file descriptors in {@code fdDir}. */
    static Set<Long> socketInodes(Path fdDir) throws IOException {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                try {
                    Matcher m = SOCKET_LINK.matcher(Files.readSymbolicLink(fd).toString());
                    if (m.matches()) {
                        inodes.add(Long.parseLong(m.group(1)));
                    }
                } catch (IOException e) {
                    // closed between the listing and the read: not a socket of ours any more
                }
            }
        }
        return inodes;
    }

    /**
     * Puts into {@code into} the drop counter of every socket in {@code table} (the text of /proc/net/udp or udp6)
     * whose inode is in {@code own}. The header line and lines that do not parse are skipped. Scans the text in place
     * (no split, no substring): a table holds a line per socket of the machine, thousands under load, and a regex
     * split of each cost about 25 ms and 10 MB of garbage per sample at 3,000 sockets.
     */
    static void addDrops(String table, Set<Long> own, Map<Long, Long> into) {
        int lineStart = 0;
        while (lineStart < table.length()) {
            int lineEnd = table.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = table.length();
            }
            long inode = column(table, lineStart, lineEnd, INODE_COLUMN);
            if (inode >= 0 && own.contains(inode)) {
                long drops = column(table, lineStart, lineEnd, DROPS_COLUMN);
                if (drops >= 0) {
                    into.put(inode, drops);
                }
            }
            lineStart = lineEnd + 1;
        }
    }

    /** The {@code index}th whitespace-separated field of the line, as a decimal number; -1 if missing or not one. */
    private static long column(String text, int from, int to, int index) {
        int field = -1;
        int i = from;
        while (i < to) {
            while (i < to && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i == to) {
                break;
            }
            int start = i;
            while (i < to && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (++field == index) {
                try {
                    return Long.parseLong(text, start, i, 10);
                } catch (NumberFormatException e) {
                    return -1; // the header ("inode", "drops") or a format this code does not know
                }
            }
        }
        return -1;
    }
}

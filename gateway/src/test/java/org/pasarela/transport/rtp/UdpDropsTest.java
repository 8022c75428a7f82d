package org.pasarela.transport.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel's UDP drop counters: parsing /proc/net/udp{,6}, adding up across samples, and a real overflow. */
class UdpDropsTest {
    // Recorded on Linux 6.18 from two overflowing sockets bound to 127.0.0.1: a default DatagramChannel (IPv6,
    // in udp6 only) and one opened with StandardProtocolFamily.INET (in udp). Both dropped 91 of 100 datagrams.
    private static final String UDP6 = """
              sl  local_address                         remote_address                        st tx_queue \
            rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
               38: 0000000000000000FFFF00000100007F:D100 00000000000000000000000000000000:0000 07 \
            00000000:00001D40 00:00000000 00000000     0        0 8001839 2 0000000012a039ec 91
            """;
    private static final String UDP = """
               sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode \
            ref pointer drops
            12327: 0100007F:8101 00000000:0000 07 00000000:00001D40 00:00000000 00000000     0        0 8001840 2 \
            000000006dede8a9 91
            """;

    @Test
    void readsTheDropsOfOwnSocketsFromBothTables() {
        Map<Long, Long> drops = new HashMap<>();
        KernelUdpDrops.addDrops(UDP6, Set.of(8001839L, 8001840L), drops);
        KernelUdpDrops.addDrops(UDP, Set.of(8001839L, 8001840L), drops);
        assertThat(drops).containsExactlyInAnyOrderEntriesOf(Map.of(8001839L, 91L, 8001840L, 91L));
    }

    @Test
    void leavesOutOtherProcessesSocketsTheHeaderAndGarbage() {
        Map<Long, Long> drops = new HashMap<>();
        KernelUdpDrops.addDrops(UDP6 + "not a socket line\n 1: a b c d e f g h notanumber i j 5\n\n",
                Set.of(8001840L), drops);
        assertThat(drops).isEmpty();
    }

    @Test
    void aTallyAddsWhatEachSocketGainedAndCountsNewSocketsWhole() {
        UdpDropTally tally = new UdpDropTally();
        assertThat(tally.add(Map.of(1L, 5L, 2L, 0L))).isEqualTo(5);
        assertThat(tally.add(Map.of(1L, 8L, 2L, 0L))).isEqualTo(3);
        // Socket 1 closed (its counter went with it), socket 3 opened and already dropped 4.
        assertThat(tally.add(Map.of(2L, 1L, 3L, 4L))).isEqualTo(5);
        // Inode 2 freed and given to a new socket whose counter restarted below the old one.
        assertThat(tally.add(Map.of(2L, 0L, 3L, 4L))).isZero();
        assertThat(tally.add(Map.of(2L, 0L, 3L, 4L))).isZero();
        assertThat(tally.total()).isEqualTo(13);
    }

    @Test
    void seesARealOverflowingSocketOfEachFamily() throws Exception {
        Path proc = Path.of("/proc");
        assumeTrue(Files.isDirectory(proc.resolve("self/fd")) && Files.isReadable(proc.resolve("net/udp")),
                "Linux /proc only");
        try (DatagramChannel ipv6 = small(DatagramChannel.open());
             DatagramChannel ipv4 = small(DatagramChannel.open(StandardProtocolFamily.INET));
             DatagramChannel sender = DatagramChannel.open()) {
            UdpDropTally tally = new UdpDropTally();
            tally.add(KernelUdpDrops.snapshot(proc)); // whatever this JVM's other sockets already dropped
            for (int i = 0; i < 100; i++) {
                sender.send(ByteBuffer.allocate(172), ipv6.getLocalAddress());
                sender.send(ByteBuffer.allocate(172), ipv4.getLocalAddress());
            }
            long added = tally.add(KernelUdpDrops.snapshot(proc));
            // A 4 KiB buffer holds a handful of these, so each socket drops most of its 100: more than 100 in all
            // only if the IPv6 socket, listed in udp6 alone, is counted too. (No upper bound: another socket of
            // this JVM may drop something meanwhile.)
            assertThat(added).as("drops at two full sockets, one of them only in udp6").isGreaterThan(120L);
        }
    }

    @Test
    void theMonitorSamplesATreeShapedLikeProcAndKeepsGoingWhenItCannotRead(@TempDir Path dir) throws Exception {
        Path net = fakeProc(dir);
        try (UdpDropMonitor monitor = new UdpDropMonitor(dir, Duration.ofHours(1))) {
            monitor.sample();
            assertThat(monitor.total()).as("only the socket this 'process' holds").isEqualTo(91);
            Files.writeString(net.resolve("udp6"), UDP6.replace(" 91\n", " 100\n"));
            monitor.sample();
            assertThat(monitor.total()).isEqualTo(100);
            Files.delete(net.resolve("udp6"));
            Files.writeString(net.resolve("udp"), "garbage");
            monitor.sample();
            assertThat(monitor.total()).isEqualTo(100);
        }
    }

    @Test
    void startedOnASchedulerItSamplesUntilClosed(@TempDir Path dir) throws Exception {
        Path net = fakeProc(dir);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            UdpDropMonitor monitor = UdpDropMonitor.start(dir, scheduler, Duration.ofMillis(20));
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (monitor.total() != 91 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(monitor.total()).as("sampled on the scheduler").isEqualTo(91);
            monitor.close();
            Thread.sleep(50); // a sample already running when close came may finish
            Files.writeString(net.resolve("udp6"), UDP6.replace(" 91\n", " 100\n"));
            Thread.sleep(100); // five periods
            assertThat(monitor.total()).as("no sample after close").isEqualTo(91);
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** A tree shaped like /proc: one socket of "this process" (inode 8001839) and the two recorded tables. */
    private static Path fakeProc(Path dir) throws Exception {
        Path fd = Files.createDirectories(dir.resolve("self/fd"));
        Files.createSymbolicLink(fd.resolve("7"), Path.of("socket:[8001839]"));
        Files.createSymbolicLink(fd.resolve("8"), Path.of("/dev/null"));
        Path net = Files.createDirectories(dir.resolve("net"));
        Files.writeString(net.resolve("udp"), UDP);
        Files.writeString(net.resolve("udp6"), UDP6);
        return net;
    }

    @Test
    void withoutProcThereIsNothingToReadAndNoError(@TempDir Path dir) throws Exception {
        assertThat(KernelUdpDrops.snapshot(dir)).isEmpty();
        assertThatThrownBy(() -> new UdpDropMonitor(dir, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
    }

    private static DatagramChannel small(DatagramChannel channel) throws Exception {
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        return channel;
    }
}

package org.pasarela.transport.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    static PortRange freeRange(int size) throws Exception {
        // Find a base where the whole range is free right now; ephemeral ports are high, so stay below them.
        for (int base = 36000; base < 60000; base += 200) {
            if (allFree(base, base + size - 1)) {
                return new PortRange(base, base + size - 1);
            }
        }
        throw new IllegalStateException("no free port range for the test");
    }

    private static boolean allFree(int min, int max) {
        for (int p = min; p <= max; p++) {
            try (DatagramChannel c = DatagramChannel.open()) {
                c.bind(new InetSocketAddress(LOOPBACK, p));
            } catch (Exception e) {
                return false;
            }
        }
        return true;
    }

    @Test
    void bindsBrowserPortAndEvenOddSipPairInsideTheRange() throws Exception {
        PortRange range = freeRange(20);
        PortAllocator allocator = new PortAllocator(LOOPBACK, range);
        try (MediaPorts ports = allocator.allocate()) {
            assertThat(range.contains(ports.browserPort())).isTrue();
            assertThat(ports.sipRtpPort() % 2).isZero();
            assertThat(ports.sipRtcpPort()).isEqualTo(ports.sipRtpPort() + 1);
            assertThat(range.contains(ports.sipRtcpPort())).isTrue();
            assertThat(allocator.socketsInUse()).isEqualTo(3);
        }
        assertThat(allocator.socketsInUse()).isZero();
    }

    @Test
    void closingReturnsThePortsToTheSystem() throws Exception {
        PortRange range = freeRange(8);
        PortAllocator allocator = new PortAllocator(LOOPBACK, range);
        MediaPorts ports = allocator.allocate();
        int rtp = ports.sipRtpPort();
        ports.close();
        ports.close(); // idempotent: must not count twice
        assertThat(allocator.socketsInUse()).isZero();
        try (DatagramChannel c = DatagramChannel.open()) {
            c.bind(new InetSocketAddress(LOOPBACK, rtp));
        }
    }

    @Test
    void reportsExhaustionNamingTheRangeAndLeaksNothing() throws Exception {
        PortRange range = freeRange(6);
        PortAllocator allocator = new PortAllocator(LOOPBACK, range);
        List<MediaPorts> held = new ArrayList<>();
        try {
            held.add(allocator.allocate());
            // 6 ports hold one call (3 sockets) and leave 3, which cannot hold an even/odd pair plus a browser port
            // once the cursor has rotated; keep allocating until the range says no.
            assertThatThrownBy(() -> {
                for (int i = 0; i < 3; i++) {
                    held.add(allocator.allocate());
                }
            }).isInstanceOf(PortsExhaustedException.class)
              .hasMessageContaining("rtp.port.min..rtp.port.max = " + range.min() + ".." + range.max());
            assertThat(allocator.socketsInUse()).isEqualTo(3 * held.size());
        } finally {
            held.forEach(MediaPorts::close);
        }
        assertThat(allocator.socketsInUse()).isZero();
    }

    @Test
    void skipsPortsThatSomeoneElseHolds() throws Exception {
        PortRange range = freeRange(10);
        try (DatagramChannel squatter = DatagramChannel.open()) {
            squatter.bind(new InetSocketAddress(LOOPBACK, range.min()));
            PortAllocator allocator = new PortAllocator(LOOPBACK, range);
            try (MediaPorts ports = allocator.allocate()) {
                assertThat(List.of(ports.browserPort(), ports.sipRtpPort(), ports.sipRtcpPort()))
                        .doesNotContain(range.min());
            }
        }
    }

    @Test
    void doesNotReuseAFreedPortForTheNextCall() throws Exception {
        PortRange range = freeRange(30);
        PortAllocator allocator = new PortAllocator(LOOPBACK, range);
        MediaPorts first = allocator.allocate();
        int firstRtp = first.sipRtpPort();
        first.close();
        try (MediaPorts second = allocator.allocate()) {
            assertThat(second.sipRtpPort()).isNotEqualTo(firstRtp);
        }
    }

    @Test
    void givesEveryMediaSocketTheAskedReceiveBuffer() throws Exception {
        PortAllocator allocator = new PortAllocator(LOOPBACK, freeRange(8), 16384);
        int granted = allocator.grantedReceiveBufferBytes();
        assertThat(granted).as("what the kernel grants for 16 KiB").isPositive().isLessThanOrEqualTo(16384);
        try (MediaPorts ports = allocator.allocate()) {
            for (DatagramChannel channel : List.of(ports.browserChannel(), ports.sipRtpChannel(),
                    ports.sipRtcpChannel())) {
                assertThat(channel.getOption(StandardSocketOptions.SO_RCVBUF)).isEqualTo(granted);
            }
        }
    }

    /**
     * Why the buffer is bounded: a relay that stops reading must drop a stream's excess, not queue seconds of it.
     * 250 SRTP PCMU-sized packets (5 s of one call at 20 ms) sent to a socket nobody reads.
     */
    @Test
    void aSocketNobodyReadsQueuesUnderASecondOfAudioInsteadOfSeconds() throws Exception {
        int bounded = queuedOf250(new PortAllocator(LOOPBACK, freeRange(8), 16384));
        int kernelDefault = queuedOf250(new PortAllocator(LOOPBACK, freeRange(8), 0));
        assertThat(bounded).as("packets of 20 ms queued with 16 KiB").isBetween(1, 50);
        assertThat(kernelDefault).as("with the kernel's default").isGreaterThan(bounded);
    }

    private static int queuedOf250(PortAllocator allocator) throws Exception {
        try (MediaPorts ports = allocator.allocate(); DatagramChannel sender = DatagramChannel.open()) {
            sender.bind(new InetSocketAddress(LOOPBACK, 0));
            InetSocketAddress target = new InetSocketAddress(LOOPBACK, ports.sipRtpPort());
            java.nio.ByteBuffer packet = java.nio.ByteBuffer.allocate(182);
            for (int i = 0; i < 250; i++) {
                sender.send(packet.clear(), target);
            }
            DatagramChannel receiver = ports.sipRtpChannel();
            receiver.configureBlocking(false);
            java.nio.ByteBuffer in = java.nio.ByteBuffer.allocate(2048);
            int queued = 0;
            while (receiver.receive(in.clear()) != null) {
                queued++;
            }
            return queued;
        }
    }
}

package org.pasarela.transport.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
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
}

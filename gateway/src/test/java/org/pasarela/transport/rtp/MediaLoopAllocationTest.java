package org.pasarela.transport.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-packet path allocates nothing of its own: bytes allocated on the media loop's thread while it relays
 * 10,000 real SRTP/RTP packets on loopback (5,000 round trips browser -> relay -> echo -> relay -> browser), read
 * with {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}. Not a timing test.
 *
 * <p>The bound is not 0 because of the JDK: {@code EPollSelectorImpl.processEvents} looks each ready file
 * descriptor up in a {@code Map<Integer, SelectionKeyImpl>}, boxing it, which allocates a 16-byte {@code Integer}
 * for descriptors above 127 (the Integer cache). A gateway with calls up has thousands of descriptors, so the test
 * opens enough first to put the call's above 127: measured exactly 16 bytes per packet then (each packet here
 * arrives alone: one wake-up each), and 0 with {@code -XX:AutoBoxCacheMax=65536}, or with descriptors below 128.
 * On top, a fixed allowance for one-off allocations not tied to packets (measured 0-3.5 KB per run). Any
 * allocation of ours per packet (a ByteBuffer.wrap, a boxed number, an address, an iterator, a lambda) is at least
 * 16 more bytes per packet, 160,000 over the run, and fails the test.
 */
class MediaLoopAllocationTest {
    private static final int WARM_UP_ROUND_TRIPS = 3_000;
    private static final int ROUND_TRIPS = 5_000;
    private static final long JDK_BYTES_PER_READY_SOCKET = 16;
    private static final long ONE_OFF_BYTES = 8 * 1024;

    @Test
    void relaysTenThousandPacketsWithoutAllocatingOnTheLoopThread() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
        List<DatagramChannel> descriptors = new ArrayList<>();
        try {
            for (int i = 0; i < 128; i++) {
                descriptors.add(DatagramChannel.open()); // the call's sockets get descriptors above 127
            }
            PortAllocator allocator = new PortAllocator(InetAddress.getLoopbackAddress(),
                    PortAllocatorTest.freeRange(20), 16384);
            try (MediaRelay relay = new MediaRelay(LoopbackCall.GatewayCertificate.get(), Duration.ofSeconds(60), 1, 0);
                 LoopbackCall call = new LoopbackCall(relay, allocator, "allocation").connect()) {
                long loopThread = call.handle.loop().threadId();
                // First packets load classes and run interpreted code; count once the path is warm.
                assertThat(call.roundTrips(WARM_UP_ROUND_TRIPS)).isEqualTo(WARM_UP_ROUND_TRIPS);

                long before = threads.getThreadAllocatedBytes(loopThread);
                int relayed = 2 * call.roundTrips(ROUND_TRIPS);
                long allocated = threads.getThreadAllocatedBytes(loopThread) - before;

                assertThat(relayed).isEqualTo(2 * ROUND_TRIPS);
                assertThat(allocated)
                        .as("bytes allocated on the media loop for %d relayed packets (%.2f per packet)", relayed,
                                (double) allocated / relayed)
                        .isLessThanOrEqualTo(JDK_BYTES_PER_READY_SOCKET * relayed + ONE_OFF_BYTES);
            }
            assertThat(allocator.socketsInUse()).isZero();
        } finally {
            for (DatagramChannel channel : descriptors) {
                channel.close();
            }
        }
    }
}

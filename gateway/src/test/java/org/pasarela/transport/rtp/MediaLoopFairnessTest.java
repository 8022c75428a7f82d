package org.pasarela.transport.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A call with a backlog does not hold up the other calls on its loop: the loop takes one datagram per ready socket
 * per pass, so a packet that arrives behind another call's burst leaves the relay second, not after the burst.
 * Reading a socket until it is empty would also cost a receive that finds nothing after almost every packet.
 *
 * <p>Two real calls on one loop, both sending their SIP side to one socket of the test's, so the order in which the
 * loop sent the packets is the order they arrive in (one thread, loopback). The loop is held by a task while the
 * packets queue, so both sockets are ready when it runs again. No timing is measured.
 */
class MediaLoopFairnessTest {
    private static final int BURST = 40;

    @Test
    void aPacketBehindAnotherCallsBurstIsRelayedInTheLoopsFirstPass() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        PortAllocator allocator = new PortAllocator(loopback, PortAllocatorTest.freeRange(20), 256 * 1024); // room for the burst
        try (DatagramSocket farEnd = new DatagramSocket(0, loopback);
             MediaRelay relay = new MediaRelay(LoopbackCall.GatewayCertificate.get(), Duration.ofSeconds(60), 1, 0)) {
            InetSocketAddress farEndAddress = new InetSocketAddress(loopback, farEnd.getLocalPort());
            try (LoopbackCall busy = new LoopbackCall(relay, allocator, "busy", farEndAddress).connect();
                 LoopbackCall quiet = new LoopbackCall(relay, allocator, "quiet", farEndAddress).connect()) {
                assertThat(busy.handle.loop()).isSameAs(quiet.handle.loop());
                CountDownLatch held = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                busy.handle.loop().execute(() -> {
                    held.countDown();
                    awaitQuietly(release);
                });
                assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
                for (int i = 0; i < BURST; i++) {
                    busy.sendVoice();
                }
                quiet.sendVoice(); // on loopback each send is in the relay's socket before it returns
                release.countDown();

                List<Integer> fromPorts = receiveSources(farEnd, BURST + 1);
                assertThat(fromPorts).hasSize(BURST + 1);
                assertThat(fromPorts.indexOf(quiet.ports.sipRtpPort()))
                        .as("position of the quiet call's packet among the %d relayed (busy call's port %d): %s",
                                BURST + 1, busy.ports.sipRtpPort(), fromPorts)
                        .isLessThanOrEqualTo(1);
            }
        }
    }

    /** The relay's source port of each RTP packet reaching the far end, in arrival order. */
    private static List<Integer> receiveSources(DatagramSocket socket, int count) throws Exception {
        List<Integer> ports = new ArrayList<>();
        byte[] buffer = new byte[2048];
        socket.setSoTimeout(2000);
        while (ports.size() < count) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                break;
            }
            ports.add(packet.getPort());
        }
        return ports;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.pasarela.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pasarela.call.CallEvent;
import org.pasarela.call.CallEvent.MediaAllocated;
import org.pasarela.call.CallEvent.MediaFailed;
import org.pasarela.transport.dtls.Certificates;
import org.pasarela.transport.rtp.MediaBusyException;
import org.pasarela.transport.rtp.PortAllocator;
import org.pasarela.transport.rtp.PortRange;

class MediaEndpointsTest {
    @Test
    void closesTheSocketsWhenTheEndpointsCannotBeDescribed() throws Exception {
        int base = TestPorts.udpRange(10);
        PortAllocator ports = new PortAllocator(InetAddress.getLoopbackAddress(), new PortRange(base, base + 9));
        // A host name cannot go into SDP; the configuration refuses it, but the sockets must not leak regardless.
        MediaEndpoints media = endpoints("localhost", ports, () -> { });
        assertThatThrownBy(() -> media.allocate("c1")).isInstanceOf(IllegalArgumentException.class);
        assertThat(media.socketsInUse()).isZero();
    }

    @Test
    void describesBoundPortsWithFreshIceCredentials() throws Exception {
        int base = TestPorts.udpRange(10);
        PortAllocator ports = new PortAllocator(InetAddress.getLoopbackAddress(), new PortRange(base, base + 9));
        MediaEndpoints media = endpoints("127.0.0.1", ports, () -> { });
        MediaEndpoints.Allocation first = media.allocate("c1");
        MediaEndpoints.Allocation second = media.allocate("c2");
        try {
            assertThat(first.local().browserPort()).isEqualTo(first.ports().browserPort());
            assertThat(first.local().sipRtpPort()).isEqualTo(first.ports().sipRtpPort());
            assertThat(first.local().iceUfrag()).isNotEqualTo(second.local().iceUfrag());
            assertThat(first.local().sessionId()).isPositive();
        } finally {
            first.ports().close();
            second.ports().close();
        }
        assertThat(media.socketsInUse()).isZero();
    }

    @Test
    void bindsNothingForACallTheRelayHasNoRoomFor() throws Exception {
        int base = TestPorts.udpRange(10);
        PortAllocator ports = new PortAllocator(InetAddress.getLoopbackAddress(), new PortRange(base, base + 9));
        MediaEndpoints media = endpoints("127.0.0.1", ports, () -> {
            throw new MediaBusyException(97, 85);
        });
        assertThatThrownBy(() -> media.allocate("c1")).isInstanceOf(MediaBusyException.class)
                .hasMessage("media relay saturated: every media thread was at least 97 % busy in one of the last 3"
                        + " seconds, media.max-busy-percent = 85");
        assertThat(media.socketsInUse()).as("a refused call binds nothing").isZero();
    }

    @Test
    void aCallRefusedForABusyRelayIsToldWhenToTryAgainAndOneWithoutPortsIsNot() throws Exception {
        int base = TestPorts.udpRange(10);
        PortAllocator ports = new PortAllocator(InetAddress.getLoopbackAddress(), new PortRange(base, base + 9));
        MediaEndpoints busy = endpoints("127.0.0.1", ports, () -> {
            throw new MediaBusyException(97, 75);
        });
        assertThat(new CallResources("c1", e -> { }).allocateMedia(busy))
                .isEqualTo(new MediaFailed(new MediaBusyException(97, 75).getMessage(), 3));

        MediaEndpoints roomy = endpoints("127.0.0.1", ports, () -> { });
        List<CallResources> calls = new ArrayList<>();
        try {
            CallEvent last;
            do { // until the ten ports are taken
                CallResources call = new CallResources("c" + calls.size(), e -> { });
                calls.add(call);
                last = call.allocateMedia(roomy);
            } while (last instanceof MediaAllocated && calls.size() <= 10);
            assertThat(last).isInstanceOfSatisfying(MediaFailed.class, failed -> {
                assertThat(failed.reason()).startsWith("no free UDP ports left");
                assertThat(failed.retryAfterSeconds()).as("no telling when a call ends").isZero();
            });
        } finally {
            for (CallResources call : calls) {
                if (call.ports != null) call.ports.close();
            }
        }
        assertThat(roomy.socketsInUse()).isZero();
    }

    private static MediaEndpoints endpoints(String address, PortAllocator ports, MediaEndpoints.Room room)
            throws Exception {
        return new MediaEndpoints(address, ports, Certificates.generateEcdsaP256(new SecureRandom(), Instant.now()),
                new SecureRandom(), room);
    }
}

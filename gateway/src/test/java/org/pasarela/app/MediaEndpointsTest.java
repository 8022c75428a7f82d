package org.pasarela.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
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
        MediaEndpoints media = endpoints("localhost", ports, () -> 0, 95);
        assertThatThrownBy(media::allocate).isInstanceOf(IllegalArgumentException.class);
        assertThat(media.socketsInUse()).isZero();
    }

    @Test
    void describesBoundPortsWithFreshIceCredentials() throws Exception {
        int base = TestPorts.udpRange(10);
        PortAllocator ports = new PortAllocator(InetAddress.getLoopbackAddress(), new PortRange(base, base + 9));
        MediaEndpoints media = endpoints("127.0.0.1", ports, () -> 94, 95);
        MediaEndpoints.Allocation first = media.allocate();
        MediaEndpoints.Allocation second = media.allocate();
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
    void refusesANewCallWhileEvenTheLeastBusyMediaThreadIsSaturated() throws Exception {
        int base = TestPorts.udpRange(10);
        PortAllocator ports = new PortAllocator(InetAddress.getLoopbackAddress(), new PortRange(base, base + 9));
        MediaEndpoints media = endpoints("127.0.0.1", ports, () -> 97, 95);
        assertThatThrownBy(media::allocate).isInstanceOf(MediaBusyException.class)
                .hasMessage("media relay saturated: the least busy media thread was 97 % busy over the last second,"
                        + " media.max-busy-percent = 95");
        assertThat(media.socketsInUse()).as("a refused call binds nothing").isZero();
    }

    @Test
    void neverRefusesWhenTheLimitIsOff() throws Exception {
        int base = TestPorts.udpRange(10);
        PortAllocator ports = new PortAllocator(InetAddress.getLoopbackAddress(), new PortRange(base, base + 9));
        MediaEndpoints media = endpoints("127.0.0.1", ports, () -> 100, MediaEndpoints.NEVER_REFUSE);
        media.allocate().ports().close();
        assertThat(media.socketsInUse()).isZero();
    }

    private static MediaEndpoints endpoints(String address, PortAllocator ports, IntSupplier busy, int maxBusy)
            throws Exception {
        return new MediaEndpoints(address, ports, Certificates.generateEcdsaP256(new SecureRandom(), Instant.now()),
                new SecureRandom(), busy, maxBusy);
    }
}

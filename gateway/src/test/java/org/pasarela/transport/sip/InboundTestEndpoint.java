package org.pasarela.transport.sip;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import org.pasarela.config.SipProfile;
import org.pasarela.config.Transport;
import org.pasarela.dialplan.InboundInvite;
import org.pasarela.dialplan.InboundRoute;
import org.pasarela.dialplan.InboundRouter;

/**
 * The inbound-leg tests' rig: a real {@link SipEndpoint} on a free loopback port whose dialog-creating INVITEs go
 * through the pure {@link InboundRouter} and land in two queues, one for the calls offered and one for the refused.
 */
final class InboundTestEndpoint implements AutoCloseable {
    record Offered(SipInboundLeg leg, InboundInvite request, InboundRoute route) {}

    final SipEndpoint endpoint;
    final int port;
    final BlockingQueue<Offered> offered = new LinkedBlockingQueue<>();
    final BlockingQueue<InboundRoute.Refuse> refused = new LinkedBlockingQueue<>();
    private final ExecutorService sender = Executors.newCachedThreadPool();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    /** Listens on {@code transports} (a free port, probed on TCP when TCP is among them) and routes by {@code profiles}. */
    InboundTestEndpoint(Set<Transport> transports, List<SipProfile> profiles) throws Exception {
        try {
            port = freePort(transports.contains(Transport.TCP));
            endpoint = SipEndpoint.start(new SipEndpointSettings("127.0.0.1", port, port + 1, transports,
                    "Pasarela-test", null, Optional.empty()), sender, scheduler);
        } catch (Exception | Error e) {
            shutDownExecutors();
            throw e;
        }
        endpoint.onInvite(new InboundRouter(profiles, Map.of()), new InboundInvites() {
            @Override
            public void invite(SipInboundLeg leg, InboundInvite request, InboundRoute route) {
                offered.add(new Offered(leg, request, route));
            }

            @Override
            public void refused(InboundInvite request, InboundRoute.Refuse refusal) {
                refused.add(refusal);
            }
        });
    }

    /** A loopback port free for UDP and, with {@code tcp}, for TCP too: a SIP endpoint binds both on one port. */
    static int freePort(boolean tcp) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(0, loopback)) {
                if (!tcp) {
                    return udp.getLocalPort();
                }
                try (ServerSocket probe = new ServerSocket(udp.getLocalPort(), 1, loopback)) {
                    return probe.getLocalPort();
                } catch (IOException taken) {
                    // that port is taken for TCP; try another
                }
            }
        }
        throw new IOException("no loopback port free for both UDP and TCP in 50 tries");
    }

    private void shutDownExecutors() {
        sender.shutdownNow();
        scheduler.shutdownNow();
    }

    @Override
    public void close() {
        endpoint.close();
        shutDownExecutors();
    }
}

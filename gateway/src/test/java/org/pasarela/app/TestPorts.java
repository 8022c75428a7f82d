package org.pasarela.app;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports free on loopback right now, for starting a gateway next to other tests. */
final class TestPorts {
    private TestPorts() {}

    /** A port free for both UDP and TCP (SIP listens on both). */
    static int udpAndTcp() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                int port = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP");
    }

    /** The start of a free, even-aligned UDP range of {@code size} ports. */
    static int udpRange(int size) throws IOException {
        for (int base = 42000; base < 60000; base += size + 2) {
            if (rangeFree(base, size)) {
                return base;
            }
        }
        throw new IOException("no free UDP range of " + size);
    }

    private static boolean rangeFree(int base, int size) {
        for (int p = base; p < base + size; p++) {
            try (DatagramSocket s = new DatagramSocket(p, InetAddress.getLoopbackAddress())) {
                // free
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}

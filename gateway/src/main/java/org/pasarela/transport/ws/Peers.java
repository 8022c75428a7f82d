package org.pasarela.transport.ws;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.pasarela.auth.RemoteAddress;

/** The peer of a connection as the security code sees it: IP literal and port, no DNS lookup. */
final class Peers {
    private Peers() {}

    static RemoteAddress remote(Channel channel) {
        return remote(channel.remoteAddress());
    }

    static RemoteAddress remote(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String ip = inet.getAddress().getHostAddress();
            int scope = ip.indexOf('%'); // IPv6 zone ids (fe80::1%eth0) are not part of the address
            return new RemoteAddress(scope >= 0 ? ip.substring(0, scope) : ip, inet.getPort());
        }
        return RemoteAddress.UNKNOWN; // EmbeddedChannel and other non-IP transports
    }
}

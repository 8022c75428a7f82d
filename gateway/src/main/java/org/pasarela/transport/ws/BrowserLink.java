package org.pasarela.transport.ws;

import org.pasarela.auth.RemoteAddress;

/** What the WebSocket edge offers the rest of the gateway for one connection: send text, or hang up. */
public interface BrowserLink {
    /** Queues one text frame; silently dropped if the connection is gone. Any thread. */
    void send(String text);

    /** Closes the connection with a WebSocket status code and reason. Any thread. */
    void close(int statusCode, String reason);

    /** The peer's address, for logs. */
    String remoteAddress();

    /** The peer's IP and port, for login limits and security events; unknown for links without a network peer. */
    default RemoteAddress remote() {
        return RemoteAddress.UNKNOWN;
    }
}

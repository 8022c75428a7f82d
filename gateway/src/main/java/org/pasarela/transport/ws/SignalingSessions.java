package org.pasarela.transport.ws;

/** Opens a session for each WebSocket connection; implemented by the application, called by the edge. */
public interface SignalingSessions {
    Connection open(BrowserLink link);

    /** One connection's inbound side. Calls arrive on the connection's event-loop thread, in order. */
    interface Connection {
        void onText(String text);

        void onClosed();
    }
}

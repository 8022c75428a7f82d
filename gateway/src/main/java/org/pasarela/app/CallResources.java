package org.pasarela.app;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import org.pasarela.call.CallTimer;
import org.pasarela.transport.rtp.MediaPorts;
import org.pasarela.transport.rtp.MediaRelay;
import org.pasarela.transport.sip.SipLeg;

/** The live resources behind one call: its sockets, its SIP leg and its armed timers. Lane-owned. */
final class CallResources {
    MediaPorts ports;
    MediaRelay.Handle media;
    SipLeg leg;
    final Map<CallTimer, ScheduledFuture<?>> timers = new EnumMap<>(CallTimer.class);

    void releaseMedia() {
        if (media != null) {
            media.close();
        }
        if (ports != null) {
            ports.close();
        }
    }

    void cancelTimers() {
        timers.values().forEach(timer -> timer.cancel(false));
        timers.clear();
    }
}

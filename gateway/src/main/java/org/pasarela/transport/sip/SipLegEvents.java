package org.pasarela.transport.sip;

import org.pasarela.call.CallEvent;

/** Where a SIP leg reports what happened on the wire; implementations post to the call's lane. */
@FunctionalInterface
public interface SipLegEvents {
    void deliver(CallEvent event);
}

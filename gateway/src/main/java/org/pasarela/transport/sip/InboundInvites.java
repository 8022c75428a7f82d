package org.pasarela.transport.sip;

import org.pasarela.dialplan.InboundInvite;
import org.pasarela.dialplan.InboundRoute;

/**
 * Where {@link SipEndpoint} hands incoming calls (see {@link SipEndpoint#onInvite}). Called on JAIN-SIP's delivery
 * thread: implementations must not block, only post to a lane.
 */
public interface InboundInvites {
    /**
     * A new call that the router sent to a user or a group: {@code route} is a {@link InboundRoute.ToUser} or a
     * {@link InboundRoute.ToGroup}. The leg has already sent 100 Trying; the app {@link SipInboundLeg#bind}s it to
     * the call it creates, or {@link SipInboundLeg#reject}s it (480 when nobody of that user is logged in).
     */
    void invite(SipInboundLeg leg, InboundInvite request, InboundRoute route);

    /**
     * An INVITE the router refused; the endpoint has already answered it statelessly with {@code refusal}'s code.
     * For security events ({@link InboundRoute.Refuse#forbidden()}) and logs; the default does nothing.
     */
    default void refused(InboundInvite request, InboundRoute.Refuse refusal) {
    }
}

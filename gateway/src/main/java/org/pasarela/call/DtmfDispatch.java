package org.pasarela.call;

import java.util.List;
import java.util.function.Function;
import org.pasarela.bridge.BridgedAnswer;
import org.pasarela.config.SipProfile;
import org.pasarela.signaling.Ack;
import org.pasarela.signaling.ErrorCodes;
import org.pasarela.signaling.ErrorMessage;
import org.pasarela.signaling.ServerMessage;

/**
 * Sends a browser's DTMF toward SIP the way the call's profile says (RFC 4733 events in the media, SIP INFO
 * application/dtmf-relay, or not at all), for outbound and incoming calls alike. Pure; stateless.
 */
final class DtmfDispatch {
    private DtmfDispatch() {}

    /**
     * The actions for one answered call's {@code dtmf} request: the sending action and the {@code ack} (none when
     * the request had no id), or the {@code error} that refuses it.
     *
     * @param reply how the call addresses a message to the requesting browser
     */
    static List<CallAction> send(SipProfile profile, BridgedAnswer answer, String callId, String requestId,
                                 String digits, int durationMs, Function<ServerMessage, CallAction> reply) {
        return switch (profile.dtmf()) {
            case INFO -> sent(new CallAction.SendDtmfInfo(digits, durationMs), callId, requestId, reply);
            case RFC4733 -> answer.telephoneEvent().isPresent()
                    ? sent(new CallAction.SendDtmfEvents(digits, durationMs), callId, requestId, reply)
                    : List.of(reply.apply(new ErrorMessage(requestId, callId, ErrorCodes.CONFLICT,
                            "dtmf: the SIP side did not accept telephone-event, so RFC 4733 digits cannot be sent;"
                                    + " use dtmf = info on profile '" + profile.name() + "'")));
            case NONE -> List.of(reply.apply(new ErrorMessage(requestId, callId, ErrorCodes.FORBIDDEN,
                    "dtmf: profile '" + profile.name() + "' has dtmf = none")));
        };
    }

    private static List<CallAction> sent(CallAction sending, String callId, String requestId,
                                         Function<ServerMessage, CallAction> reply) {
        return requestId == null ? List.of(sending) : List.of(sending, reply.apply(new Ack(requestId, callId)));
    }
}

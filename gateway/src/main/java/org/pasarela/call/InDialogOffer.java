package org.pasarela.call;

import java.util.List;
import org.pasarela.bridge.BridgeException;
import org.pasarela.bridge.BridgedAnswer;
import org.pasarela.bridge.SipReoffer;
import org.pasarela.call.CallAction.AnswerReoffer;
import org.pasarela.call.CallAction.UpdateMedia;
import org.pasarela.sdp.Origin;
import org.pasarela.sdp.SdpException;
import org.pasarela.sdp.SdpParser;
import org.pasarela.sdp.SdpWriter;
import org.pasarela.sdp.SessionDescription;

/**
 * The answer to a re-INVITE in a confirmed dialog (RFC 3264 §8: hold, resume, refresh, re-anchoring), the same
 * for outbound and incoming calls. Pure; stateless.
 */
final class InDialogOffer {
    /**
     * What to do, the call's media afterwards, and the o= version now used toward SIP (unchanged when refused).
     */
    record Outcome(List<CallAction> actions, BridgedAnswer answer, long sipSdpVersion) {}

    private InDialogOffer() {}

    /**
     * @param sdp         the re-INVITE's offer, or null for a re-INVITE that asks for ours (RFC 3261 §14.2)
     * @param ourSdp      the last SDP the gateway sent toward SIP: its address, port and session id stay
     * @param lastVersion the o= version of that SDP; a new one must be higher (RFC 3264 §8)
     */
    static Outcome answer(String sdp, SessionDescription ourSdp, BridgedAnswer current, long lastVersion) {
        long version = lastVersion + 1;
        if (sdp == null) {
            // The answer to our offer comes in the ACK; the media does not move until a real offer does.
            return new Outcome(List.of(new AnswerReoffer(200, SdpWriter.write(withVersion(ourSdp, version)), null)),
                    current, version);
        }
        try {
            SipReoffer.Result result = SipReoffer.answer(SdpParser.parse(sdp), ourSdp, current, version);
            BridgedAnswer moved = current.withSipMedia(result.remoteMedia());
            return new Outcome(List.of(new UpdateMedia(moved),
                    new AnswerReoffer(200, SdpWriter.write(result.answer()), null)), moved, version);
        } catch (SdpException | BridgeException e) {
            return new Outcome(List.of(new AnswerReoffer(488, null, e.getMessage())), current, lastVersion);
        }
    }

    private static SessionDescription withVersion(SessionDescription sdp, long version) {
        Origin o = sdp.origin();
        return sdp.withOrigin(new Origin(o.username(), o.sessionId(), String.valueOf(version), o.netType(),
                o.addrType(), o.address()));
    }
}

package org.pasarela.call;

import java.util.List;
import org.pasarela.bridge.BridgeException;
import org.pasarela.bridge.BridgedAnswer;
import org.pasarela.bridge.SipReoffer;
import org.pasarela.call.CallAction.AnswerReoffer;
import org.pasarela.call.CallAction.UpdateMedia;
import org.pasarela.sdp.Direction;
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
     * What to do, the call's media afterwards, and the o= version now used toward SIP (unchanged when refused);
     * {@code sent} is the SDP the 200 carries (null when refused) and {@code offered} the direction the far end's
     * offer gave the audio stream (null when it made none, or was refused).
     */
    record Outcome(List<CallAction> actions, BridgedAnswer answer, long sipSdpVersion, SessionDescription sent,
                   Direction offered) {}

    private InDialogOffer() {}

    /**
     * @param sdp         the re-INVITE's offer, or null for a re-INVITE that asks for ours (RFC 3261 §14.2)
     * @param ourSdp      the last SDP the gateway sent toward SIP: its address, port and session id stay
     * @param lastVersion the o= version of that SDP; a new one must be higher (RFC 3264 §8)
     */
    static Outcome answer(String sdp, SessionDescription ourSdp, BridgedAnswer current, long lastVersion) {
        return answer(sdp, ourSdp, current, lastVersion, false);
    }

    /** As above; {@code heldByUs}: the gateway holds the call, so the answer accepts no media toward it (§8.4). */
    static Outcome answer(String sdp, SessionDescription ourSdp, BridgedAnswer current, long lastVersion,
                          boolean heldByUs) {
        long version = lastVersion + 1;
        if (sdp == null) {
            // The answer to our offer comes in the ACK; the media does not move until a real offer does.
            SessionDescription ours = withVersion(ourSdp, version);
            return new Outcome(List.of(new AnswerReoffer(200, SdpWriter.write(ours), null)), current, version, ours,
                    null);
        }
        try {
            SessionDescription reoffer = SdpParser.parse(sdp);
            SipReoffer.Result result = SipReoffer.answer(reoffer, ourSdp, current, version, heldByUs);
            BridgedAnswer moved = current.withSipMedia(result.remoteMedia());
            Direction offered = reoffer.media().stream()
                    .filter(m -> m.media().equals("audio") && m.port() != 0).findFirst()
                    .map(reoffer::directionOf).orElse(Direction.SENDRECV);
            return new Outcome(List.of(new UpdateMedia(moved),
                    new AnswerReoffer(200, SdpWriter.write(result.answer()), null)), moved, version,
                    result.answer(), offered);
        } catch (SdpException | BridgeException e) {
            return new Outcome(List.of(new AnswerReoffer(488, null, e.getMessage())), current, lastVersion, null,
                    null);
        }
    }

    private static SessionDescription withVersion(SessionDescription sdp, long version) {
        Origin o = sdp.origin();
        return sdp.withOrigin(new Origin(o.username(), o.sessionId(), String.valueOf(version), o.netType(),
                o.addrType(), o.address()));
    }
}

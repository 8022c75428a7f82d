package org.pasarela.bridge;

import java.util.Objects;
import java.util.Optional;
import org.pasarela.sdp.SessionDescription;

/**
 * The result of {@link SipToWebRtc#answer}: the JSEP answer (or pranswer) for the browser and what the media relay
 * needs about the SIP side.
 *
 * @param webrtcAnswer   the SDP to send to the browser
 * @param sipMedia       the SIP side's RTP/RTCP destination
 * @param codec          the voice codec both sides use
 * @param telephoneEvent RFC 4733 events, when both sides kept telephone-event at the codec's clock rate
 */
public record BridgedAnswer(SessionDescription webrtcAnswer, SipRemoteMedia sipMedia, BridgedCodec codec,
                            Optional<BridgedCodec> telephoneEvent) {

    public BridgedAnswer {
        Objects.requireNonNull(webrtcAnswer, "webrtcAnswer");
        Objects.requireNonNull(sipMedia, "sipMedia");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(telephoneEvent, "telephoneEvent");
    }

    /** The same call after the far end moved its media (re-INVITE): codec and browser side unchanged. */
    public BridgedAnswer withSipMedia(SipRemoteMedia newSipMedia) {
        return new BridgedAnswer(webrtcAnswer, newSipMedia, codec, telephoneEvent);
    }
}

package org.pasarela.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.pasarela.sdp.Attribute;
import org.pasarela.sdp.Connection;
import org.pasarela.sdp.Direction;
import org.pasarela.sdp.MediaDescription;
import org.pasarela.sdp.Origin;
import org.pasarela.sdp.RtpMap;
import org.pasarela.sdp.SessionDescription;

/**
 * A call coming from SIP, second half: the browser's JSEP answer becomes the plain-RTP answer in the gateway's
 * 200 OK (RFC 3264 §6), and tells the relay who the browser is. The codec is the first one the browser kept; its
 * number is the caller's, since the browser's offer used the caller's numbering. Pure; stateless.
 */
public final class WebRtcAnswerToSip {
    private WebRtcAnswerToSip() {
    }

    /** The SIP answer, the browser's end of the media, and the codecs both legs use. */
    public record Result(SessionDescription sipAnswer, BrowserPeer browser, SipRemoteMedia sipMedia,
                         BridgedCodec codec, Optional<BridgedCodec> telephoneEvent) {
    }

    /**
     * @param offer    what {@link SipToWebRtcOffer#translate} made of the caller's offer
     * @param sipOffer the caller's offer itself, for its m-line layout and fmtp lines
     * @throws BridgeException when the browser's answer cannot be used, saying why
     */
    public static Result translate(SessionDescription browserAnswer, SipToWebRtcOffer.Result offer,
                                   SessionDescription sipOffer, LocalMedia local) {
        if (browserAnswer.media().isEmpty()) throw new BridgeException("browser answer has no m-line");
        MediaDescription audio = browserAnswer.media().get(0);
        if (!audio.media().equals("audio")) throw new BridgeException("browser answer's first m-line is not audio");
        if (audio.port() == 0) throw new BridgeException("browser rejected audio (port 0)");
        if (!audio.proto().equals(WebRtcToSip.WEBRTC_PROTO)) {
            throw new BridgeException("browser answer proto \"" + audio.proto() + "\" is not "
                    + WebRtcToSip.WEBRTC_PROTO);
        }
        String ufrag = audio.attributeValue("ice-ufrag").or(() -> browserAnswer.attributeValue("ice-ufrag"))
                .map(String::strip).filter(v -> !v.isEmpty())
                .orElseThrow(() -> new BridgeException("browser answer has no a=ice-ufrag"));
        List<Attribute> fingerprintLines = audio.attributes("fingerprint").isEmpty()
                ? browserAnswer.attributes("fingerprint") : audio.attributes("fingerprint");
        List<String> fingerprints = fingerprintLines.stream().map(a -> a.valueOrEmpty().strip())
                .filter(v -> !v.isEmpty()).toList();
        if (fingerprints.isEmpty()) throw new BridgeException("browser answer has no a=fingerprint");
        BrowserPeer browser = new BrowserPeer(ufrag, fingerprints, gatewaySetup(browserAnswer, audio));

        BridgedCodec codec = null;
        BridgedCodec event = null;
        for (String format : audio.formats()) {
            Optional<RtpMap> offered = offer.codecs().stream()
                    .filter(c -> Integer.toString(c.payloadType()).equals(format)).findFirst();
            if (offered.isEmpty()) continue;
            RtpMap c = offered.get();
            BridgedCodec pair = new BridgedCodec(c.payloadType(), c.payloadType(), c.encoding(), c.clockRate());
            if (CodecSelection.isTelephoneEvent(c)) {
                if (event == null) event = pair;
            } else if (codec == null && CodecSelection.isVoice(c)) {
                codec = pair;
            }
        }
        if (codec == null) {
            throw new BridgeException("browser answer keeps none of the offered codecs: " + audio.formats());
        }
        int rate = codec.clockRate();
        // RFC 4733 events run on the voice codec's clock; one on another clock would be unusable.
        Optional<BridgedCodec> telephoneEvent = Optional.ofNullable(event).filter(e -> e.clockRate() == rate);
        Direction browserSide = browserAnswer.directionOf(audio);
        MediaDescription sipAudio = sipOffer.media().get(offer.sipAudioIndex());
        // The gateway relays: it sends the caller what the browser sends, and accepts what the browser takes.
        Direction sipDirection = Direction.of(browserSide.sends() && offer.sipDirection().receives(),
                browserSide.receives() && offer.sipDirection().sends());

        List<MediaDescription> media = new ArrayList<>();
        for (int i = 0; i < sipOffer.media().size(); i++) {
            MediaDescription m = sipOffer.media().get(i);
            if (i == offer.sipAudioIndex()) {
                media.add(sipAnswerAudio(sipAudio, codec, telephoneEvent, sipDirection, local));
            } else {
                List<String> first = m.formats().isEmpty() ? List.of() : List.of(m.formats().get(0));
                media.add(MediaDescription.of(m.media(), 0, m.proto(), first, List.of()));
            }
        }
        SessionDescription sipAnswer = SessionDescription.of(
                Origin.of(local.sessionId(), local.sessionVersion(), local.addrType(), local.address()),
                Optional.of(Connection.internet(local.address())), List.of(), media);
        return new Result(sipAnswer, browser, offer.sipMedia(), codec, telephoneEvent);
    }

    /** RFC 5763 §5: the browser answered active or passive to our actpass; the gateway takes the other role. */
    private static DtlsSetup gatewaySetup(SessionDescription answer, MediaDescription audio) {
        String value = audio.attributeValue("setup").or(() -> answer.attributeValue("setup"))
                .map(String::strip).orElse("active"); // RFC 4145 §4: a missing a=setup means active
        DtlsSetup browser = DtlsSetup.fromValue(value)
                .orElseThrow(() -> new BridgeException("a=setup:" + value + " is not valid"));
        if (browser == DtlsSetup.ACTPASS) {
            throw new BridgeException("browser answered a=setup:actpass; an answer must choose active or passive");
        }
        return browser == DtlsSetup.ACTIVE ? DtlsSetup.PASSIVE : DtlsSetup.ACTIVE;
    }

    private static MediaDescription sipAnswerAudio(MediaDescription sipAudio, BridgedCodec codec,
                                                   Optional<BridgedCodec> event, Direction direction,
                                                   LocalMedia local) {
        List<String> formats = new ArrayList<>();
        List<Attribute> a = new ArrayList<>();
        for (BridgedCodec c : event.isPresent() ? List.of(codec, event.get()) : List.of(codec)) {
            int pt = c.sipPayloadType();
            formats.add(Integer.toString(pt));
            RtpMap map = sipAudio.rtpmap(pt).orElse(new RtpMap(pt, c.encoding(), c.clockRate(), 1));
            a.add(Attribute.of("rtpmap", map.attributeValue()));
            sipAudio.fmtp(pt).ifPresent(f -> a.add(Attribute.of("fmtp", pt + " " + f)));
        }
        a.add(Attribute.of("ptime", Integer.toString(WebRtcToSip.PTIME_MS)));
        a.add(direction.attribute());
        a.add(Attribute.of("rtcp", Integer.toString(local.sipRtpPort() + 1)));
        return new MediaDescription("audio", local.sipRtpPort(), OptionalInt.empty(), SipToWebRtc.SIP_PROTO, formats,
                Optional.empty(), List.of(), a, List.of());
    }
}

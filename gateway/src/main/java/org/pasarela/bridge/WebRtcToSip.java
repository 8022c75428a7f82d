package org.pasarela.bridge;

import java.util.ArrayList;
import java.util.Arrays;
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
 * Turns a browser's JSEP offer into the plain-RTP SIP offer the gateway sends (RFC 3264 §5). One audio stream is
 * bridged: the first audio m-line that is not rejected. Everything WebRTC-specific (ICE, DTLS, BUNDLE, msid,
 * ssrc, rtcp-fb, extmap, rtcp-mux) stays on the browser side. Pure; stateless.
 */
public final class WebRtcToSip {
    static final String WEBRTC_PROTO = "UDP/TLS/RTP/SAVPF";
    static final int PTIME_MS = 20;
    /** RFC 4733 §2.4.1: without an fmtp the events are 0-15; say so explicitly for equipment that expects it. */
    static final String DEFAULT_TELEPHONE_EVENTS = "0-15";

    private WebRtcToSip() {
    }

    /**
     * @param profileCodecs codec names the SIP profile allows, in preference order (see {@link CodecSelection})
     * @throws BridgeException when the offer cannot be bridged, saying why
     */
    public static BridgedOffer translate(SessionDescription browserOffer, List<String> profileCodecs,
                                         LocalMedia local) {
        int index = bridgedIndex(browserOffer);
        MediaDescription audio = browserOffer.media().get(index);
        String ufrag = required(browserOffer, audio, "ice-ufrag");
        String pwd = required(browserOffer, audio, "ice-pwd");
        List<String> fingerprints = valuesOf(browserOffer, audio, "fingerprint");
        if (fingerprints.isEmpty()) throw new BridgeException("audio m-line has no a=fingerprint");
        DtlsSetup setup = setup(browserOffer, audio);
        List<RtpMap> codecs = CodecSelection.select(audio.rtpmaps(), profileCodecs);

        List<Optional<String>> mids = browserOffer.media().stream().map(m -> m.attributeValue("mid")).toList();
        SessionDescription sipOffer = SessionDescription.of(
                Origin.of(local.sessionId(), local.sessionVersion(), local.addrType(), local.address()),
                Optional.of(Connection.internet(local.address())), List.of(),
                List.of(sipAudio(audio, codecs, browserOffer.directionOf(audio), local)));
        return new BridgedOffer(sipOffer, index, mids, bundleMids(browserOffer), ufrag, pwd, fingerprints, setup,
                codecs);
    }

    private static int bridgedIndex(SessionDescription offer) {
        List<MediaDescription> media = offer.media();
        Optional<MediaDescription> firstLive = Optional.empty();
        boolean anyAudio = false;
        for (int i = 0; i < media.size(); i++) {
            MediaDescription m = media.get(i);
            if (!m.media().equals("audio")) continue;
            anyAudio = true;
            if (m.port() == 0) continue;
            if (m.proto().equals(WEBRTC_PROTO)) return i;
            if (firstLive.isEmpty()) firstLive = Optional.of(m);
        }
        if (!anyAudio) throw new BridgeException("offer has no audio m-line");
        if (firstLive.isEmpty()) throw new BridgeException("audio m-line is rejected (port 0)");
        throw new BridgeException("audio m-line proto \"" + firstLive.get().proto() + "\" is not WebRTC (expected "
                + WEBRTC_PROTO + ")");
    }

    private static MediaDescription sipAudio(MediaDescription browserAudio, List<RtpMap> codecs, Direction direction,
                                             LocalMedia local) {
        List<Attribute> attributes = new ArrayList<>();
        for (RtpMap codec : codecs) {
            attributes.add(Attribute.of("rtpmap", codec.attributeValue()));
            Optional<String> fmtp = browserAudio.fmtp(codec.payloadType());
            if (fmtp.isEmpty() && CodecSelection.isTelephoneEvent(codec)) fmtp = Optional.of(DEFAULT_TELEPHONE_EVENTS);
            fmtp.ifPresent(f -> attributes.add(Attribute.of("fmtp", codec.payloadType() + " " + f)));
        }
        attributes.add(Attribute.of("ptime", Integer.toString(PTIME_MS)));
        // RFC 3264 §6.1 seen from the gateway: it sends to SIP exactly what the browser sends to it.
        attributes.add(direction.attribute());
        attributes.add(Attribute.of("rtcp", Integer.toString(local.sipRtpPort() + 1)));
        List<String> formats = codecs.stream().map(c -> Integer.toString(c.payloadType())).toList();
        return new MediaDescription("audio", local.sipRtpPort(), OptionalInt.empty(), "RTP/AVP", formats,
                Optional.empty(), List.of(), attributes, List.of());
    }

    /** A media-level attribute, else the session-level one (RFC 8839 §5.4, RFC 8122 §5 allow either). */
    private static String required(SessionDescription offer, MediaDescription audio, String name) {
        Optional<String> value = audio.attributeValue(name).or(() -> offer.attributeValue(name))
                .map(String::strip).filter(v -> !v.isEmpty());
        return value.orElseThrow(() -> new BridgeException("audio m-line has no a=" + name));
    }

    private static List<String> valuesOf(SessionDescription offer, MediaDescription audio, String name) {
        List<Attribute> attributes = audio.attributes(name).isEmpty() ? offer.attributes(name) : audio.attributes(name);
        return attributes.stream().map(a -> a.valueOrEmpty().strip()).filter(v -> !v.isEmpty()).toList();
    }

    private static DtlsSetup setup(SessionDescription offer, MediaDescription audio) {
        Optional<String> value = audio.attributeValue("setup").or(() -> offer.attributeValue("setup"));
        if (value.isEmpty()) return DtlsSetup.ACTIVE;
        String v = value.get().strip();
        return DtlsSetup.fromValue(v).orElseThrow(() -> new BridgeException("a=setup:" + v + " is not valid"));
    }

    private static List<String> bundleMids(SessionDescription offer) {
        for (Attribute group : offer.attributes("group")) {
            List<String> tokens = Arrays.stream(group.valueOrEmpty().strip().split("\\s+")).toList();
            if (tokens.get(0).equals("BUNDLE")) return tokens.subList(1, tokens.size());
        }
        return List.of();
    }
}

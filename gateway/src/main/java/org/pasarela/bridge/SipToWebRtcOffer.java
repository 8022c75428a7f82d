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
 * A call coming from SIP: turns the caller's plain-RTP offer into the JSEP offer the browser receives
 * (RFC 8829 §5.2). One audio m-line with the codecs both the caller and the profile allow, numbered as the caller
 * numbered them (so no payload type needs mapping), the gateway's ICE-lite credentials and host candidate, its
 * fingerprint and {@code a=setup:actpass} (RFC 5763 §5: the offerer lets the answerer choose). Pure; stateless.
 */
public final class SipToWebRtcOffer {
    static final String MID = "0";

    private SipToWebRtcOffer() {
    }

    /** The browser's offer, and what the answer will need from the SIP side's offer. */
    public record Result(SessionDescription webrtcOffer, List<RtpMap> codecs, SipRemoteMedia sipMedia,
                         Direction sipDirection, int sipAudioIndex) {
        public Result {
            codecs = List.copyOf(codecs);
        }
    }

    /**
     * @throws BridgeException when the SIP offer cannot be bridged, saying why
     */
    public static Result translate(SessionDescription sipOffer, List<String> profileCodecs, LocalMedia local) {
        int index = audioIndex(sipOffer);
        MediaDescription sipAudio = sipOffer.media().get(index);
        Connection connection = sipOffer.connectionFor(sipAudio)
                .orElseThrow(() -> new BridgeException("SIP offer has no connection address (c=)"));
        SipRemoteMedia remote = SipToWebRtc.remoteMedia(connection, sipAudio);
        List<String> browserCapable = profileCodecs.stream().filter(SipToWebRtcOffer::browsersHave).toList();
        List<RtpMap> codecs = CodecSelection.select(sipAudio.rtpmaps(), browserCapable, "SIP caller");
        Direction direction = sipOffer.directionOf(sipAudio);

        List<Attribute> a = new ArrayList<>();
        a.add(Attribute.of("ice-ufrag", local.iceUfrag()));
        a.add(Attribute.of("ice-pwd", local.icePwd()));
        a.add(Attribute.of("fingerprint", "sha-256 " + local.fingerprintSha256()));
        a.add(Attribute.of("setup", DtlsSetup.ACTPASS.toString()));
        a.add(Attribute.of("mid", MID));
        // What the SIP caller sends, the gateway sends to the browser, and the other way round.
        a.add(direction.attribute());
        a.add(Attribute.property("rtcp-mux"));
        for (RtpMap codec : codecs) {
            a.add(Attribute.of("rtpmap", codec.attributeValue()));
            Optional<String> fmtp = sipAudio.fmtp(codec.payloadType());
            if (fmtp.isEmpty() && CodecSelection.isTelephoneEvent(codec)) {
                fmtp = Optional.of(WebRtcToSip.DEFAULT_TELEPHONE_EVENTS);
            }
            fmtp.ifPresent(f -> a.add(Attribute.of("fmtp", codec.payloadType() + " " + f)));
        }
        sipAudio.attributeValue("ptime").map(String::strip).filter(p -> p.matches("[0-9]{1,4}"))
                .ifPresent(p -> a.add(Attribute.of("ptime", p)));
        a.add(Attribute.of("candidate", "1 1 udp " + SipToWebRtc.HOST_PRIORITY + " " + local.address() + " "
                + local.browserPort() + " typ host"));
        a.add(Attribute.property("end-of-candidates"));
        List<String> formats = codecs.stream().map(c -> Integer.toString(c.payloadType())).toList();
        MediaDescription audio = new MediaDescription("audio", local.browserPort(), OptionalInt.empty(),
                WebRtcToSip.WEBRTC_PROTO, formats, Optional.of(Connection.internet(local.address())), List.of(), a,
                List.of());
        SessionDescription offer = SessionDescription.of(
                Origin.of(local.sessionId(), local.sessionVersion(), local.addrType(), local.address()),
                Optional.empty(),
                List.of(Attribute.property("ice-lite"), Attribute.of("group", "BUNDLE " + MID)),
                List.of(audio));
        return new Result(offer, codecs, remote, direction, index);
    }

    /** WebRTC's mandatory and common audio codecs (RFC 7874): a profile's G729 or iLBC cannot reach a browser. */
    private static boolean browsersHave(String profileCodec) {
        String name = profileCodec.split("/")[0].toLowerCase(java.util.Locale.ROOT);
        return List.of("opus", "g722", "pcmu", "pcma", "telephone-event").contains(name);
    }

    private static int audioIndex(SessionDescription sipOffer) {
        boolean anyAudio = false;
        for (int i = 0; i < sipOffer.media().size(); i++) {
            MediaDescription m = sipOffer.media().get(i);
            if (!m.media().equals("audio")) continue;
            anyAudio = true;
            if (m.port() != 0 && m.proto().equals(SipToWebRtc.SIP_PROTO)) return i;
        }
        throw new BridgeException(anyAudio ? "SIP offer has no usable RTP/AVP audio m-line"
                : "SIP offer has no audio m-line");
    }
}

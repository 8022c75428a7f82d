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
 * Turns the SIP side's answer into the JSEP answer for the browser. The answer has one m-line per offered m-line,
 * in order (RFC 8829 §5.3.1); only the bridged audio m-line is accepted, every other one is refused with port 0
 * (RFC 3264 §6). The gateway is ICE-lite (RFC 8445 §2.5) with a single host candidate, and DTLS passive unless
 * the browser insists on being passive itself. Pure; stateless.
 */
public final class SipToWebRtc {
    static final String SIP_PROTO = "RTP/AVP";
    /** RFC 8839 §5.1: priority for a host candidate, type preference 126, local preference 65535, component 1. */
    static final long HOST_PRIORITY = 2130706431L;

    private SipToWebRtc() {
    }

    /**
     * The WebRTC answer for a SIP answer (200 OK) or early answer (183).
     *
     * @throws BridgeException when the SIP answer cannot be bridged, saying why
     */
    public static BridgedAnswer answer(SessionDescription browserOffer, BridgedOffer offer,
                                       SessionDescription sipAnswer, LocalMedia local) {
        MediaDescription sipAudio = sipAudio(sipAnswer);
        Connection connection = sipAnswer.connectionFor(sipAudio)
                .orElseThrow(() -> new BridgeException("SIP answer has no connection address (c=)"));
        SipRemoteMedia remote = remoteMedia(connection, sipAudio);
        ChosenCodecs chosen = chooseCodecs(sipAudio, offer);

        MediaDescription browserAudio = browserOffer.media().get(offer.bridgedIndex());
        // RFC 3264 §6.1 through the relay: the gateway sends the browser what the SIP side sends, and takes from
        // the browser only what the SIP side is willing to receive.
        Direction browserDirection = browserOffer.directionOf(browserAudio);
        Direction sipDirection = sipAnswer.directionOf(sipAudio);
        Direction direction = Direction.of(sipDirection.sends() && browserDirection.receives(),
                browserDirection.sends() && sipDirection.receives());

        List<MediaDescription> media = new ArrayList<>();
        List<String> acceptedMids = new ArrayList<>();
        for (int i = 0; i < browserOffer.media().size(); i++) {
            Optional<String> mid = offer.mids().get(i);
            if (i == offer.bridgedIndex()) {
                media.add(acceptedAudio(browserAudio, mid, chosen, direction, sipAudio, offer.setup(), local));
                mid.filter(offer.bundleMids()::contains).ifPresent(acceptedMids::add);
            } else {
                media.add(refused(browserOffer.media().get(i), mid));
            }
        }
        List<Attribute> sessionAttributes = new ArrayList<>();
        sessionAttributes.add(Attribute.property("ice-lite"));
        if (!acceptedMids.isEmpty()) {
            sessionAttributes.add(Attribute.of("group", "BUNDLE " + String.join(" ", acceptedMids)));
        }
        SessionDescription webrtcAnswer = SessionDescription.of(
                Origin.of(local.sessionId(), local.sessionVersion(), local.addrType(), local.address()),
                Optional.empty(), sessionAttributes, media);
        return new BridgedAnswer(webrtcAnswer, remote, chosen.codec, chosen.telephoneEvent);
    }

    /**
     * The WebRTC pranswer for a SIP 183 with SDP (RFC 3960 early media). The rules are those of {@link #answer};
     * this name exists so callers say which JSEP type they are producing.
     */
    public static BridgedAnswer pranswer(SessionDescription browserOffer, BridgedOffer offer,
                                         SessionDescription sip183, LocalMedia local) {
        return answer(browserOffer, offer, sip183, local);
    }

    private static MediaDescription sipAudio(SessionDescription sipAnswer) {
        MediaDescription audio = sipAnswer.media().stream().filter(m -> m.media().equals("audio")).findFirst()
                .orElseThrow(() -> new BridgeException("SIP answer has no audio m-line"));
        if (audio.port() == 0) throw new BridgeException("SIP answer rejected audio (port 0)");
        if (!audio.proto().equals(SIP_PROTO)) {
            throw new BridgeException("SIP answer proto \"" + audio.proto() + "\" is not supported");
        }
        return audio;
    }

    static SipRemoteMedia remoteMedia(Connection connection, MediaDescription sipAudio) {
        int rtpPort = sipAudio.port();
        if (sipAudio.hasAttribute("rtcp-mux")) return new SipRemoteMedia(connection.address(), rtpPort, rtpPort, true);
        Optional<String> rtcp = sipAudio.attributeValue("rtcp");
        int rtcpPort;
        if (rtcp.isPresent()) {
            // RFC 3605: a=rtcp:<port> [IN IP4 <address>]; a different RTCP address is not supported by the relay.
            String port = rtcp.get().strip().split("\\s+")[0];
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw new BridgeException("SIP answer a=rtcp:" + rtcp.get() + ": port is not 1-65535");
            }
            rtcpPort = Integer.parseInt(port);
        } else if (rtpPort == 65535) {
            throw new BridgeException("SIP answer RTP port 65535 leaves no port for RTCP");
        } else {
            rtcpPort = rtpPort + 1;
        }
        return new SipRemoteMedia(connection.address(), rtpPort, rtcpPort, false);
    }

    private record ChosenCodecs(BridgedCodec codec, Optional<BridgedCodec> telephoneEvent) {
    }

    /**
     * The first codec of the SIP answer that was offered, and telephone-event at its clock rate if both sides kept
     * it. Matched by encoding and clock rate (the answerer may renumber dynamic payload types, RFC 3264 §6.1), or by
     * number for a payload type that has neither an rtpmap nor a static assignment.
     */
    private static ChosenCodecs chooseCodecs(MediaDescription sipAudio, BridgedOffer offer) {
        BridgedCodec codec = null;
        OptionalInt firstNotOffered = OptionalInt.empty();
        List<BridgedCodec> events = new ArrayList<>();
        for (String format : sipAudio.formats()) {
            if (!format.matches("[0-9]{1,3}") || Integer.parseInt(format) > 127) {
                throw new BridgeException("SIP answer format \"" + format + "\" is not a payload type");
            }
            int sipPt = Integer.parseInt(format);
            Optional<RtpMap> sipMap = sipAudio.rtpmap(sipPt);
            Optional<RtpMap> offered = sipMap.isPresent()
                    ? offer.codec(sipMap.get().encoding(), sipMap.get().clockRate())
                    : offer.codecs().stream().filter(c -> c.payloadType() == sipPt).findFirst();
            if (offered.isEmpty()) {
                boolean event = sipMap.map(CodecSelection::isTelephoneEvent).orElse(false);
                if (!event && firstNotOffered.isEmpty()) firstNotOffered = OptionalInt.of(sipPt);
                continue;
            }
            RtpMap o = offered.get();
            BridgedCodec pair = new BridgedCodec(o.payloadType(), sipPt, o.encoding(), o.clockRate());
            if (CodecSelection.isTelephoneEvent(o)) {
                events.add(pair);
            } else if (codec == null && CodecSelection.isVoice(o)) {
                codec = pair;
            }
        }
        if (codec == null) {
            if (firstNotOffered.isPresent()) {
                throw new BridgeException("SIP answer chose payload type " + firstNotOffered.getAsInt()
                        + " that was not offered");
            }
            throw new BridgeException("SIP answer has no voice codec, only " + sipAudio.formats());
        }
        int rate = codec.clockRate();
        return new ChosenCodecs(codec, events.stream().filter(e -> e.clockRate() == rate).findFirst());
    }

    private static MediaDescription acceptedAudio(MediaDescription browserAudio, Optional<String> mid,
                                                  ChosenCodecs chosen, Direction direction,
                                                  MediaDescription sipAudio, DtlsSetup offeredSetup,
                                                  LocalMedia local) {
        List<Attribute> a = new ArrayList<>();
        a.add(Attribute.of("ice-ufrag", local.iceUfrag()));
        a.add(Attribute.of("ice-pwd", local.icePwd()));
        a.add(Attribute.of("fingerprint", "sha-256 " + local.fingerprintSha256()));
        a.add(Attribute.of("setup", offeredSetup.answer().toString()));
        mid.ifPresent(m -> a.add(Attribute.of("mid", m)));
        a.add(direction.attribute());
        a.add(Attribute.property("rtcp-mux"));
        List<String> formats = new ArrayList<>();
        List<BridgedCodec> codecs = new ArrayList<>();
        codecs.add(chosen.codec);
        chosen.telephoneEvent.ifPresent(codecs::add);
        for (BridgedCodec c : codecs) {
            int pt = c.browserPayloadType();
            formats.add(Integer.toString(pt));
            RtpMap map = browserAudio.rtpmap(pt).orElse(new RtpMap(pt, c.encoding(), c.clockRate(), 1));
            a.add(Attribute.of("rtpmap", map.attributeValue()));
            browserAudio.fmtp(pt).ifPresent(f -> a.add(Attribute.of("fmtp", pt + " " + f)));
        }
        // The SIP side's packetization preference is what the browser should send (nothing repacketizes).
        sipAudio.attributeValue("ptime").map(String::strip).filter(p -> p.matches("[0-9]{1,4}"))
                .ifPresent(p -> a.add(Attribute.of("ptime", p)));
        a.add(Attribute.of("candidate", "1 1 udp " + HOST_PRIORITY + " " + local.address() + " "
                + local.browserPort() + " typ host"));
        a.add(Attribute.property("end-of-candidates"));
        return new MediaDescription("audio", local.browserPort(), OptionalInt.empty(), WebRtcToSip.WEBRTC_PROTO,
                formats, Optional.of(Connection.internet(local.address())), List.of(), a, List.of());
    }

    /** RFC 3264 §6 / RFC 8829 §5.3.1: same media and proto, port 0, one format, and the mid to match it up. */
    private static MediaDescription refused(MediaDescription offered, Optional<String> mid) {
        List<String> formats = offered.formats().isEmpty() ? List.of() : List.of(offered.formats().get(0));
        List<Attribute> attributes = mid.map(m -> List.of(Attribute.of("mid", m))).orElse(List.of());
        return new MediaDescription(offered.media(), 0, OptionalInt.empty(), offered.proto(), formats,
                Optional.of(new Connection("IN", "IP4", "0.0.0.0")), List.of(), attributes, List.of());
    }
}

package org.pasarela.bridge;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.pasarela.sdp.Attribute;
import org.pasarela.sdp.Connection;
import org.pasarela.sdp.Direction;
import org.pasarela.sdp.MediaDescription;
import org.pasarela.sdp.Origin;
import org.pasarela.sdp.RtpMap;
import org.pasarela.sdp.SessionDescription;

/**
 * A call coming from SIP whose INVITE carries no SDP (RFC 3261 §13.2.1 "late offer"): the gateway makes the
 * offer in its 200 and the caller answers in the ACK.
 *
 * <p>The browser still needs an offer first. {@link #standIn} writes down, as if a SIP caller had offered it,
 * every codec of the profile that browsers have (static payload types where RFC 3551 has one, 96 and up
 * otherwise); {@link SipToWebRtcOffer} turns it into the browser's offer, and {@link WebRtcAnswerToSip} turns the
 * browser's answer into the 200's SDP: the codec the browser chose plus telephone-event, on the gateway's RTP
 * port. {@link #answer} reads the caller's answer from the ACK. Pure; stateless.
 */
public final class LateOffer {
    /** Where SIP media goes until the ACK says: the RFC 3264 §8.4 hold address, to which the relay sends nothing. */
    public static final SipRemoteMedia AWAITING_ANSWER = new SipRemoteMedia("0.0.0.0", 9, 9, true);

    static final int FIRST_DYNAMIC_PAYLOAD_TYPE = 96;

    private LateOffer() {
    }

    /**
     * The plain-RTP offer the gateway would accept from a caller, built from the profile's browser-capable codecs.
     *
     * @throws BridgeException when the profile lists no codec a browser has
     */
    public static SessionDescription standIn(List<String> profileCodecs, LocalMedia local) {
        List<RtpMap> voice = new ArrayList<>();
        int next = FIRST_DYNAMIC_PAYLOAD_TYPE;
        for (String entry : profileCodecs) {
            String name = entry.strip().split("/")[0].toLowerCase(Locale.ROOT);
            RtpMap codec = switch (name) {
                case "pcmu" -> new RtpMap(0, "PCMU", 8000, 1);
                case "pcma" -> new RtpMap(8, "PCMA", 8000, 1);
                case "g722" -> new RtpMap(9, "G722", 8000, 1); // RFC 3551 §4.5.2: 8000 on the wire, 16 kHz audio
                case "opus" -> new RtpMap(next++, "opus", 48000, 2); // RFC 7587 §7
                default -> null; // telephone-event below; G729, GSM, iLBC cannot reach a browser
            };
            if (codec != null && voice.stream().noneMatch(c -> c.payloadType() == codec.payloadType()
                    || c.isEncoding(codec.encoding()))) {
                voice.add(codec);
            }
        }
        if (voice.isEmpty()) {
            throw new BridgeException("INVITE without SDP: profile codecs " + profileCodecs
                    + " include none that browsers have (opus, G722, PCMU, PCMA)");
        }
        List<RtpMap> all = new ArrayList<>(voice);
        boolean wantsEvents = profileCodecs.stream()
                .anyMatch(c -> c.strip().toLowerCase(Locale.ROOT).startsWith(CodecSelection.TELEPHONE_EVENT));
        if (wantsEvents) {
            Set<Integer> rates = new LinkedHashSet<>();
            voice.forEach(c -> rates.add(c.clockRate()));
            for (int rate : rates) {
                all.add(new RtpMap(next++, CodecSelection.TELEPHONE_EVENT, rate, 1));
            }
        }
        List<Attribute> a = new ArrayList<>();
        for (RtpMap codec : all) {
            a.add(Attribute.of("rtpmap", codec.attributeValue()));
            String pt = codec.payloadType() + " ";
            if (codec.isEncoding("opus")) a.add(Attribute.of("fmtp", pt + "minptime=10;useinbandfec=1"));
            if (CodecSelection.isTelephoneEvent(codec)) {
                a.add(Attribute.of("fmtp", pt + WebRtcToSip.DEFAULT_TELEPHONE_EVENTS));
            }
        }
        a.add(Attribute.of("ptime", Integer.toString(WebRtcToSip.PTIME_MS)));
        a.add(Direction.SENDRECV.attribute());
        List<String> formats = all.stream().map(c -> Integer.toString(c.payloadType())).toList();
        MediaDescription audio = MediaDescription.of("audio", local.sipRtpPort(), SipToWebRtc.SIP_PROTO, formats, a);
        return SessionDescription.of(Origin.of(local.sessionId(), local.sessionVersion(), local.addrType(),
                local.address()), Optional.of(Connection.internet(local.address())), List.of(), List.of(audio));
    }

    /**
     * The call's media once the caller answered the 200's offer in its ACK.
     *
     * @param ours        what the browser's answer made of the stand-in: the codec offered in the 200
     * @param webrtcOffer the offer the browser received (the gateway's side of the WebRTC leg)
     * @throws BridgeException when the caller's answer refuses audio or drops the offered codec
     */
    public static BridgedAnswer answer(SessionDescription callerAnswer, WebRtcAnswerToSip.Result ours,
                                       SessionDescription webrtcOffer) {
        MediaDescription audio = callerAnswer.media().stream().filter(m -> m.media().equals("audio")).findFirst()
                .orElseThrow(() -> new BridgeException("caller's answer in the ACK has no audio m-line"));
        if (audio.port() == 0) throw new BridgeException("caller's answer in the ACK rejected audio (port 0)");
        if (!audio.proto().equals(SipToWebRtc.SIP_PROTO)) {
            throw new BridgeException("caller's answer proto \"" + audio.proto() + "\" is not "
                    + SipToWebRtc.SIP_PROTO);
        }
        Connection connection = callerAnswer.connectionFor(audio)
                .orElseThrow(() -> new BridgeException("caller's answer in the ACK has no connection address (c=)"));
        SipRemoteMedia remote = SipToWebRtc.remoteMedia(connection, audio);
        BridgedCodec offered = ours.codec();
        BridgedCodec codec = renumbered(audio, offered).orElseThrow(() -> new BridgeException(
                "caller's answer in the ACK drops the offered codec " + offered.encoding() + "/"
                        + offered.clockRate() + ": it has " + audio.formats()));
        Optional<BridgedCodec> event = ours.telephoneEvent().flatMap(te -> renumbered(audio, te));
        return new BridgedAnswer(webrtcOffer, remote, codec, event);
    }

    /** RFC 3264 §6.1: the answerer should keep the offer's numbers but may not; match by encoding and rate. */
    private static Optional<BridgedCodec> renumbered(MediaDescription audio, BridgedCodec offered) {
        return audio.rtpmaps().stream()
                .filter(m -> m.isEncoding(offered.encoding()) && m.clockRate() == offered.clockRate())
                .findFirst()
                .map(m -> new BridgedCodec(offered.browserPayloadType(), m.payloadType(), offered.encoding(),
                        offered.clockRate()));
    }
}

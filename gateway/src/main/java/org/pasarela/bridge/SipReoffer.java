package org.pasarela.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pasarela.sdp.Attribute;
import org.pasarela.sdp.Connection;
import org.pasarela.sdp.Direction;
import org.pasarela.sdp.MediaDescription;
import org.pasarela.sdp.Origin;
import org.pasarela.sdp.RtpMap;
import org.pasarela.sdp.SessionDescription;

/**
 * Answers an offer the SIP side makes inside the dialog (a re-INVITE: hold, resume, session refresh,
 * re-anchoring), RFC 3264 §8. The call keeps its codec and the gateway's media address; the direction mirrors
 * the offer's (§6.1: sendonly is answered recvonly, and so on), so hold works without touching the browser leg.
 */
public final class SipReoffer {
    private SipReoffer() {}

    /** The SDP to put in the 200 OK, and where the far end now wants media. */
    public record Result(SessionDescription answer, SipRemoteMedia remoteMedia) {}

    /**
     * @param reoffer     the re-INVITE's SDP offer
     * @param ourOffer    the SDP the gateway sent in the INVITE: its address, port and session id are kept
     * @param current     the media the call negotiated
     * @param version     the o= session version for this answer: higher than any version sent before (RFC 3264 §8)
     * @throws BridgeException when the offer drops the call's codec or has no usable audio
     */
    public static Result answer(SessionDescription reoffer, SessionDescription ourOffer, BridgedAnswer current,
                                long version) {
        return answer(reoffer, ourOffer, current, version, false);
    }

    /**
     * As above, for a call the gateway itself holds ({@code heldByUs}): the answer never accepts media toward the
     * gateway (§8.4), so a far end's session refresh does not resume the call behind the browser's back.
     */
    public static Result answer(SessionDescription reoffer, SessionDescription ourOffer, BridgedAnswer current,
                                long version, boolean heldByUs) {
        int audioIndex = firstAudio(reoffer);
        MediaDescription offered = reoffer.media().get(audioIndex);
        Connection connection = reoffer.connectionFor(offered)
                .orElseThrow(() -> new BridgeException("re-INVITE offer has no connection address (c=)"));
        int codecPt = payloadTypeOf(offered, current.codec().encoding(), current.codec().clockRate())
                .orElseThrow(() -> new BridgeException("re-INVITE offer drops the call's codec "
                        + current.codec().encoding() + "/" + current.codec().clockRate()));
        Optional<Integer> eventPt = current.telephoneEvent()
                .flatMap(te -> payloadTypeOf(offered, te.encoding(), te.clockRate()));

        MediaDescription ours = ourOffer.media().get(0);
        List<String> formats = new ArrayList<>();
        List<Attribute> attributes = new ArrayList<>();
        formats.add(String.valueOf(codecPt));
        attributes.add(Attribute.of("rtpmap", offered.rtpmap(codecPt).orElseThrow().attributeValue()));
        offered.fmtp(codecPt).ifPresent(f -> attributes.add(Attribute.of("fmtp", codecPt + " " + f)));
        eventPt.ifPresent(pt -> {
            formats.add(String.valueOf(pt));
            attributes.add(Attribute.of("rtpmap", offered.rtpmap(pt).orElseThrow().attributeValue()));
            offered.fmtp(pt).ifPresent(f -> attributes.add(Attribute.of("fmtp", pt + " " + f)));
        });
        ours.attributeValue("ptime").ifPresent(p -> attributes.add(Attribute.of("ptime", p)));
        Direction mirrored = mirror(reoffer.directionOf(offered));
        attributes.add((heldByUs ? Direction.of(mirrored.sends(), false) : mirrored).attribute());
        ours.attributeValue("rtcp").ifPresent(r -> attributes.add(Attribute.of("rtcp", r)));

        List<MediaDescription> media = new ArrayList<>();
        for (int i = 0; i < reoffer.media().size(); i++) {
            MediaDescription m = reoffer.media().get(i);
            if (i == audioIndex) {
                media.add(ours.withFormats(formats).withAttributes(attributes));
            } else {
                // Every offered m-line gets an answer; the ones we do not bridge are refused (RFC 3264 §6).
                media.add(MediaDescription.of(m.media(), 0, m.proto(), List.of(m.formats().get(0)), List.of()));
            }
        }
        Origin origin = ourOffer.origin();
        SessionDescription answer = ourOffer
                .withOrigin(new Origin(origin.username(), origin.sessionId(), String.valueOf(version),
                        origin.netType(), origin.addrType(), origin.address()))
                .withAttributes(List.of())
                .withMedia(media);
        return new Result(answer, SipToWebRtc.remoteMedia(connection, offered));
    }

    private static int firstAudio(SessionDescription reoffer) {
        for (int i = 0; i < reoffer.media().size(); i++) {
            MediaDescription m = reoffer.media().get(i);
            if (m.media().equals("audio") && m.port() != 0 && m.isRtp()) {
                return i;
            }
        }
        throw new BridgeException("re-INVITE offer has no audio m-line");
    }

    private static Optional<Integer> payloadTypeOf(MediaDescription m, String encoding, int clockRate) {
        for (RtpMap map : m.rtpmaps()) {
            if (map.isEncoding(encoding) && map.clockRate() == clockRate) {
                return Optional.of(map.payloadType());
            }
        }
        return Optional.empty();
    }

    /** RFC 3264 §6.1: what the answerer does is the mirror of what the offerer asked for. */
    static Direction mirror(Direction offered) {
        return Direction.of(offered.receives(), offered.sends());
    }
}

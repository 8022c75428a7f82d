package org.pasarela.bridge;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.pasarela.sdp.Attribute;
import org.pasarela.sdp.Connection;
import org.pasarela.sdp.Direction;
import org.pasarela.sdp.MediaDescription;
import org.pasarela.sdp.Origin;
import org.pasarela.sdp.RtpMap;
import org.pasarela.sdp.SessionDescription;

/**
 * The offers the gateway makes inside a confirmed dialog to hold and resume the SIP side (RFC 3264 §8.4), and
 * what it takes from their answers. An offer is the last SDP the gateway sent toward SIP with the same m-lines
 * (§8: none removed, same order), the call's codec and telephone-event only (so the far end cannot switch to a
 * codec the browser leg never agreed on), the new direction, and a higher o= version. Pure; stateless.
 */
public final class SipHold {
    private SipHold() {}

    /** Where the far end now wants media, and the direction its answer gave the audio stream. */
    public record Answer(SipRemoteMedia remoteMedia, Direction direction) {}

    /**
     * @param lastSent  the last SDP sent toward SIP (the INVITE's offer, the 200's answer, or a later one)
     * @param current   the media the call negotiated: its codec and telephone-event are kept
     * @param direction {@code sendonly} or {@code inactive} to hold, {@code sendrecv} to resume
     * @param version   the o= session version: higher than any sent before (RFC 3264 §8)
     * @throws BridgeException when {@code lastSent} has no live audio stream carrying the call's codec
     */
    public static SessionDescription offer(SessionDescription lastSent, BridgedAnswer current, Direction direction,
                                           long version) {
        int audioIndex = liveAudio(lastSent, "the gateway's last SIP SDP");
        MediaDescription audio = lastSent.media().get(audioIndex);
        Set<String> kept = new HashSet<>();
        List<String> formats = new ArrayList<>();
        for (RtpMap map : audio.rtpmaps()) {
            if (matches(map, current.codec()) || current.telephoneEvent().filter(te -> matches(map, te)).isPresent()) {
                kept.add(String.valueOf(map.payloadType()));
                formats.add(String.valueOf(map.payloadType()));
            }
        }
        if (formats.stream().noneMatch(pt -> audio.rtpmap(Integer.parseInt(pt)).filter(
                map -> matches(map, current.codec())).isPresent())) {
            throw new BridgeException("the gateway's last SIP SDP does not carry the call's codec "
                    + current.codec().encoding() + "/" + current.codec().clockRate());
        }
        List<Attribute> attributes = new ArrayList<>();
        for (Attribute a : audio.attributes()) {
            if (Direction.fromAttribute(a.name()).isPresent()) {
                continue;
            }
            if ((a.name().equals("rtpmap") || a.name().equals("fmtp")) && !kept.contains(firstWord(a))) {
                continue;
            }
            attributes.add(a);
        }
        attributes.add(direction.attribute());
        List<MediaDescription> media = new ArrayList<>(lastSent.media());
        media.set(audioIndex, audio.withFormats(formats).withAttributes(attributes));
        Origin o = lastSent.origin();
        return lastSent.withOrigin(new Origin(o.username(), o.sessionId(), String.valueOf(version), o.netType(),
                        o.addrType(), o.address()))
                .withAttributes(lastSent.attributes().stream()
                        .filter(a -> Direction.fromAttribute(a.name()).isEmpty()).toList())
                .withMedia(media);
    }

    /**
     * Reads the far end's answer to one of our offers.
     *
     * @throws BridgeException when the answer refuses the audio stream, has no connection address, or drops the
     *                         call's codec
     */
    public static Answer answer(SessionDescription answer, BridgedAnswer current) {
        int audioIndex = liveAudio(answer, "the re-INVITE answer");
        MediaDescription audio = answer.media().get(audioIndex);
        Connection connection = answer.connectionFor(audio)
                .orElseThrow(() -> new BridgeException("the re-INVITE answer has no connection address (c=)"));
        boolean codecKept = audio.rtpmaps().stream().anyMatch(map -> matches(map, current.codec()));
        if (!codecKept) {
            throw new BridgeException("the re-INVITE answer drops the call's codec " + current.codec().encoding()
                    + "/" + current.codec().clockRate());
        }
        return new Answer(SipToWebRtc.remoteMedia(connection, audio), answer.directionOf(audio));
    }

    private static int liveAudio(SessionDescription sdp, String what) {
        for (int i = 0; i < sdp.media().size(); i++) {
            MediaDescription m = sdp.media().get(i);
            if (m.media().equals("audio") && m.port() != 0 && m.isRtp()) {
                return i;
            }
        }
        throw new BridgeException(what + " has no live audio stream");
    }

    private static boolean matches(RtpMap map, BridgedCodec codec) {
        return map.isEncoding(codec.encoding()) && map.clockRate() == codec.clockRate();
    }

    private static String firstWord(Attribute a) {
        String v = a.valueOrEmpty().strip();
        int space = v.indexOf(' ');
        return space < 0 ? v : v.substring(0, space);
    }
}

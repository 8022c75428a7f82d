package org.pasarela.echo;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The echo service's own tiny, line-based SDP handling (RFC 8866 lines, RFC 3264 offer/answer): pick one audio
 * codec from an offer and write the answer, or write an offer and check the answer. Deliberately independent of
 * the gateway's full SDP parser so that the echo service tests the gateway rather than sharing its bugs.
 * Pure functions; thread-safe.
 */
final class EchoSdp {

    /** RFC 3261 §20.43 warning codes used in 488 responses. */
    static final int WARN_TRANSPORT = 302;
    static final int WARN_MEDIA_TYPE = 304;
    static final int WARN_MEDIA_FORMAT = 305;
    static final int WARN_MISC = 399;

    /** One payload type as offered: its number, rtpmap value (e.g. {@code PCMU/8000}) and fmtp value if any. */
    record Format(int payloadType, String rtpmap, Optional<String> fmtp) {
        int clockRate() {
            String[] parts = rtpmap.split("/");
            return parts.length > 1 ? Integer.parseInt(parts[1]) : 8000;
        }
    }

    /** What the echo answers with: the chosen codec, telephone-event if offered, and the offer's m-line layout. */
    record Selection(List<String> mediaLines, int audioIndex, String proto, Format codec,
                     Optional<Format> telephoneEvent, String direction) {
        Selection {
            mediaLines = List.copyOf(mediaLines);
        }
    }

    private static final List<String> SUPPORTED = List.of("PCMU/8000", "PCMA/8000", "G722/8000", "OPUS/48000/2");
    private static final Map<Integer, String> STATIC_TYPES = Map.of(0, "PCMU/8000", 8, "PCMA/8000", 9, "G722/8000");

    private EchoSdp() {
    }

    /** Chooses the first offered codec the echo supports, in the offer's order (RFC 3264 §6.1). */
    static Selection select(String offer) throws EchoSdpException {
        List<Media> media = parse(offer);
        if (media.isEmpty()) throw new EchoSdpException(WARN_MEDIA_TYPE, "offer has no m= line");
        EchoSdpException firstProblem = null;
        for (int i = 0; i < media.size(); i++) {
            Media m = media.get(i);
            if (!m.type.equals("audio") || m.port == 0) continue;
            try {
                return choose(media, i);
            } catch (EchoSdpException e) {
                if (firstProblem == null) firstProblem = e;
            }
        }
        if (firstProblem != null) throw firstProblem;
        throw new EchoSdpException(WARN_MEDIA_TYPE, "offer has no active audio stream");
    }

    /** The answer to an offer: chosen audio stream on {@code rtpPort}, every other stream rejected with port 0. */
    static String answer(Selection s, InetAddress address, int rtpPort, long sessionId, long version) {
        StringBuilder sdp = header(address, sessionId, version);
        for (int i = 0; i < s.mediaLines().size(); i++) {
            if (i != s.audioIndex()) {
                String[] f = s.mediaLines().get(i).substring(2).split(" +");
                sdp.append("m=").append(f[0]).append(" 0 ").append(f[2]).append(' ').append(f[3]).append("\r\n");
                continue;
            }
            sdp.append("m=audio ").append(rtpPort).append(' ').append(s.proto()).append(' ')
                    .append(s.codec().payloadType());
            s.telephoneEvent().ifPresent(te -> sdp.append(' ').append(te.payloadType()));
            sdp.append("\r\n");
            appendFormat(sdp, s.codec());
            s.telephoneEvent().ifPresent(te -> appendFormat(sdp, te));
            sdp.append("a=rtcp:").append(rtpPort + 1).append("\r\n");
            sdp.append("a=").append(s.direction()).append("\r\n");
        }
        return sdp.toString();
    }

    /** The echo's own offer, for an INVITE that came without SDP (RFC 3261 §13.2.1). */
    static String offer(InetAddress address, int rtpPort, long sessionId, long version) {
        return header(address, sessionId, version)
                + "m=audio " + rtpPort + " RTP/AVP 0 8 101\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-16\r\n"
                + "a=rtcp:" + (rtpPort + 1) + "\r\n"
                + "a=sendrecv\r\n";
    }

    /** Checks an answer (from an ACK) to {@link #offer}: an active audio stream using PCMU or PCMA. */
    static void checkAnswer(String answer) throws EchoSdpException {
        for (Media m : parse(answer)) {
            if (!m.type.equals("audio") || m.port == 0) continue;
            for (Format f : m.formats) {
                String name = f.rtpmap().toUpperCase(Locale.ROOT);
                if (name.startsWith("PCMU/8000") || name.startsWith("PCMA/8000")) return;
            }
            throw new EchoSdpException(WARN_MEDIA_FORMAT, "answer chose none of PCMU, PCMA");
        }
        throw new EchoSdpException(WARN_MEDIA_TYPE, "answer has no active audio stream");
    }

    private static Selection choose(List<Media> media, int index) throws EchoSdpException {
        Media m = media.get(index);
        if (!m.proto.equals("RTP/AVP") && !m.proto.equals("RTP/AVPF")) {
            throw new EchoSdpException(WARN_TRANSPORT, "transport " + m.proto + " not supported (RTP/AVP only)");
        }
        Format codec = null;
        for (Format f : m.formats) {
            if (SUPPORTED.contains(f.rtpmap().toUpperCase(Locale.ROOT))) {
                codec = f;
                break;
            }
        }
        if (codec == null) {
            List<String> offered = new ArrayList<>();
            for (Format f : m.formats) offered.add(f.rtpmap().isEmpty() ? "PT " + f.payloadType() : f.rtpmap());
            throw new EchoSdpException(WARN_MEDIA_FORMAT, "no supported codec (PCMU, PCMA, G722, opus) among "
                    + String.join(", ", offered));
        }
        Optional<Format> te = Optional.empty();
        for (Format f : m.formats) {
            if (!f.rtpmap().toLowerCase(Locale.ROOT).startsWith("telephone-event/")) continue;
            if (f.clockRate() == codec.clockRate()) {
                te = Optional.of(f);
                break;
            }
            if (te.isEmpty()) te = Optional.of(f);
        }
        List<String> lines = new ArrayList<>();
        for (Media each : media) lines.add(each.line);
        return new Selection(lines, index, m.proto, codec, te, answerDirection(m.direction));
    }

    private static String answerDirection(String offered) {
        switch (offered) {
            case "sendonly": return "recvonly";
            case "recvonly": return "sendonly";
            case "inactive": return "inactive";
            default: return "sendrecv";
        }
    }

    private static StringBuilder header(InetAddress address, long sessionId, long version) {
        String family = address instanceof Inet6Address ? "IP6" : "IP4";
        String host = address.getHostAddress();
        return new StringBuilder("v=0\r\n")
                .append("o=pasarela-echo ").append(sessionId).append(' ').append(version)
                .append(" IN ").append(family).append(' ').append(host).append("\r\n")
                .append("s=pasarela echo\r\n")
                .append("c=IN ").append(family).append(' ').append(host).append("\r\n")
                .append("t=0 0\r\n");
    }

    private static void appendFormat(StringBuilder sdp, Format f) {
        sdp.append("a=rtpmap:").append(f.payloadType()).append(' ').append(f.rtpmap()).append("\r\n");
        f.fmtp().ifPresent(v -> sdp.append("a=fmtp:").append(f.payloadType()).append(' ').append(v).append("\r\n"));
    }

    /** One m= section as far as the echo cares. */
    private static final class Media {
        final String line;
        final String type;
        final int port;
        final String proto;
        final List<Integer> payloadTypes = new ArrayList<>();
        final Map<Integer, String> rtpmaps = new LinkedHashMap<>();
        final Map<Integer, String> fmtps = new LinkedHashMap<>();
        final List<Format> formats = new ArrayList<>();
        String direction;

        Media(String line, String sessionDirection) throws EchoSdpException {
            this.line = line;
            String[] f = line.substring(2).trim().split(" +");
            if (f.length < 4) throw new EchoSdpException(WARN_MISC, line + ": expected media, port, proto, formats");
            type = f[0].toLowerCase(Locale.ROOT);
            port = number(f[1].split("/")[0], line, "port");
            proto = f[2].toUpperCase(Locale.ROOT);
            direction = sessionDirection;
            if (proto.startsWith("RTP/")) {
                for (int i = 3; i < f.length; i++) payloadTypes.add(number(f[i], line, "payload type"));
            }
        }

        void finish() {
            for (int pt : payloadTypes) {
                String rtpmap = rtpmaps.getOrDefault(pt, STATIC_TYPES.getOrDefault(pt, ""));
                formats.add(new Format(pt, rtpmap, Optional.ofNullable(fmtps.get(pt))));
            }
        }
    }

    private static List<Media> parse(String sdp) throws EchoSdpException {
        if (sdp == null || !sdp.startsWith("v=")) throw new EchoSdpException(WARN_MISC, "body is not SDP (no v= line)");
        List<Media> media = new ArrayList<>();
        String sessionDirection = "sendrecv";
        Media current = null;
        for (String raw : sdp.split("\r?\n")) {
            String line = raw.trim();
            if (line.startsWith("m=")) {
                if (current != null) current.finish();
                current = new Media(line, sessionDirection);
                media.add(current);
            } else if (line.startsWith("a=")) {
                String attr = line.substring(2);
                if (attr.equals("sendrecv") || attr.equals("sendonly") || attr.equals("recvonly")
                        || attr.equals("inactive")) {
                    if (current == null) sessionDirection = attr; else current.direction = attr;
                } else if (current != null && (attr.startsWith("rtpmap:") || attr.startsWith("fmtp:"))) {
                    int colon = attr.indexOf(':');
                    int space = attr.indexOf(' ');
                    if (space < 0) throw new EchoSdpException(WARN_MISC, line + ": missing value");
                    int pt = number(attr.substring(colon + 1, space), line, "payload type");
                    String value = attr.substring(space + 1).trim();
                    (attr.startsWith("rtpmap:") ? current.rtpmaps : current.fmtps).put(pt, value);
                    if (attr.startsWith("rtpmap:") && !value.matches("[^/ ]+/[0-9]+(/[0-9]+)?")) {
                        throw new EchoSdpException(WARN_MISC, line + ": expected encoding/clock-rate");
                    }
                }
            }
        }
        if (current != null) current.finish();
        return media;
    }

    private static int number(String text, String line, String what) throws EchoSdpException {
        try {
            int n = Integer.parseInt(text);
            if (n < 0 || n > 65535) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new EchoSdpException(WARN_MISC, line + ": " + what + " \"" + text + "\" is not a number");
        }
    }
}

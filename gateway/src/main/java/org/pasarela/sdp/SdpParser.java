package org.pasarela.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Parses SDP text (RFC 8866) into a {@link SessionDescription}, keeping every line it does not interpret. Lenient
 * where real equipment is sloppy (CRLF, bare LF or bare CR line ends; trailing whitespace; blank lines; a missing
 * final newline; runs of spaces between fields; a missing {@code s=} or {@code t=}) and strict where a guess would
 * be wrong: anything else raises {@link SdpException} naming the line. No other exception escapes, for any input.
 * Stateless and thread-safe.
 */
public final class SdpParser {
    /** Limits that keep a hostile peer from making us allocate without bound. */
    public static final int MAX_SDP_CHARS = 64 * 1024;
    public static final int MAX_LINE_CHARS = 4 * 1024;
    public static final int MAX_MEDIA_SECTIONS = 64;

    private static final int QUOTE_CHARS = 80;

    private SdpParser() {
    }

    /**
     * Parses one SDP.
     *
     * @throws SdpException with a message such as {@code line 5 "m=audio abc RTP/AVP 0": port is not a number}
     */
    public static SessionDescription parse(String sdp) {
        if (sdp == null) throw new SdpException("SDP is null");
        if (sdp.length() > MAX_SDP_CHARS) {
            throw new SdpException("SDP is " + sdp.length() + " characters long, limit is " + MAX_SDP_CHARS);
        }
        return new Run().parse(sdp);
    }

    /** The mutable state of one parse. */
    private static final class Run {
        private int lineNumber;
        private String line;
        private boolean sawVersion;
        private Origin origin;
        private String sessionName;
        private Connection sessionConnection;
        private final List<Timing> timings = new ArrayList<>();
        private List<String> repeats;
        private long timingStart;
        private long timingStop;
        private final List<Attribute> attributes = new ArrayList<>();
        private final List<SdpLine> otherLines = new ArrayList<>();
        private final List<MediaDescription> media = new ArrayList<>();
        private MediaBuilder current;

        SessionDescription parse(String sdp) {
            int start = 0;
            int n = sdp.length();
            while (start < n) {
                int end = start;
                while (end < n && sdp.charAt(end) != '\n' && sdp.charAt(end) != '\r') end++;
                lineNumber++;
                if (end - start > MAX_LINE_CHARS) {
                    line = sdp.substring(start, start + QUOTE_CHARS + 1);
                    throw error("line is " + (end - start) + " characters long, limit is " + MAX_LINE_CHARS);
                }
                line = stripTrailing(sdp.substring(start, end));
                if (!line.isEmpty()) parseLine();
                if (end < n && sdp.charAt(end) == '\r' && end + 1 < n && sdp.charAt(end + 1) == '\n') end++;
                start = end + 1;
            }
            if (!sawVersion) throw new SdpException("SDP is empty");
            if (origin == null) throw new SdpException("SDP has no o= line");
            finishTiming();
            finishMedia();
            return new SessionDescription(0, origin, sessionName == null ? "-" : sessionName,
                    Optional.ofNullable(sessionConnection), timings, attributes, media, otherLines);
        }

        private void parseLine() {
            if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                throw error("expected <type>=<value> with a lower-case type letter");
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (!sawVersion) {
                if (type != 'v' || !value.equals("0")) throw error("expected v=0 as the first line");
                sawVersion = true;
                return;
            }
            if (type == 'v') throw error("duplicate v= line");
            if (type == 'm') {
                startMedia(value);
            } else if (current != null) {
                mediaLine(type, value);
            } else {
                sessionLine(type, value);
            }
        }

        private void sessionLine(char type, String value) {
            switch (type) {
                case 'o' -> {
                    if (origin != null) throw error("duplicate o= line");
                    origin = origin(value);
                }
                case 's' -> {
                    if (sessionName != null) throw error("duplicate s= line");
                    sessionName = value;
                }
                case 'c' -> {
                    if (sessionConnection != null) throw error("duplicate session-level c= line");
                    sessionConnection = connection(value);
                }
                case 't' -> timing(value);
                case 'r' -> {
                    if (repeats == null) throw error("r= line without a preceding t= line");
                    repeats.add(value);
                }
                case 'a' -> attributes.add(attribute(value, false));
                default -> otherLines.add(new SdpLine(type, value));
            }
        }

        private void mediaLine(char type, String value) {
            switch (type) {
                case 'c' -> {
                    if (current.connection != null) throw error("duplicate c= line in one media section");
                    current.connection = connection(value);
                }
                case 'b' -> current.bandwidths.add(value);
                case 'a' -> current.attributes.add(attribute(value, current.rtp));
                case 'o', 's', 't', 'r', 'z', 'u', 'e', 'p' -> throw error(type + "= line is not allowed in a media section");
                default -> current.otherLines.add(new SdpLine(type, value));
            }
        }

        private void startMedia(String value) {
            if (origin == null) throw error("m= line before the o= line");
            if (media.size() + (current == null ? 0 : 1) >= MAX_MEDIA_SECTIONS) {
                throw error("more than " + MAX_MEDIA_SECTIONS + " m= lines");
            }
            finishMedia();
            List<String> fields = fields(value);
            if (fields.size() < 3) throw error("expected <media> <port> <proto> <fmt> ...");
            String portField = fields.get(0 + 1);
            int slash = portField.indexOf('/');
            int port = number(slash < 0 ? portField : portField.substring(0, slash), 5, 65535, "port");
            OptionalInt portCount = OptionalInt.empty();
            if (slash >= 0) {
                int count = number(portField.substring(slash + 1), 5, 65535, "port count");
                if (count == 0) throw error("port count is 0");
                portCount = OptionalInt.of(count);
            }
            String proto = fields.get(2);
            List<String> formats = fields.subList(3, fields.size());
            boolean rtp = MediaDescription.isRtpProto(proto);
            if (rtp) formats.forEach(f -> payloadType(f));
            current = new MediaBuilder(fields.get(0), port, portCount, proto, List.copyOf(formats), rtp);
        }

        private void finishMedia() {
            if (current == null) return;
            media.add(new MediaDescription(current.media, current.port, current.portCount, current.proto,
                    current.formats, Optional.ofNullable(current.connection), current.bandwidths,
                    current.attributes, current.otherLines));
            current = null;
        }

        private Origin origin(String value) {
            List<String> f = fields(value);
            if (f.size() != 6) {
                throw error("expected <username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>");
            }
            return new Origin(f.get(0), f.get(1), f.get(2), f.get(3), f.get(4), f.get(5));
        }

        private Connection connection(String value) {
            List<String> f = fields(value);
            if (f.size() != 3) throw error("expected <nettype> <addrtype> <connection-address>");
            return new Connection(f.get(0), f.get(1), f.get(2));
        }

        private void timing(String value) {
            List<String> f = fields(value);
            if (f.size() != 2) throw error("expected <start-time> <stop-time>");
            finishTiming();
            timingStart = time(f.get(0), "start time");
            timingStop = time(f.get(1), "stop time");
            repeats = new ArrayList<>();
        }

        private void finishTiming() {
            if (repeats != null) timings.add(new Timing(timingStart, timingStop, repeats));
            repeats = null;
        }

        private Attribute attribute(String value, boolean rtpSection) {
            int colon = value.indexOf(':');
            String name = colon < 0 ? value : value.substring(0, colon);
            if (name.isEmpty()) throw error("attribute has no name");
            if (colon < 0) return Attribute.property(name);
            String attrValue = value.substring(colon + 1);
            if (rtpSection && name.equals("rtpmap")) {
                try {
                    RtpMap.parse(attrValue);
                } catch (SdpException e) {
                    throw error(e.getMessage());
                }
            } else if (rtpSection && name.equals("fmtp")) {
                List<String> f = fields(attrValue);
                if (f.isEmpty()) throw error("a=fmtp has no payload type");
                payloadType(f.get(0));
            }
            return Attribute.of(name, attrValue);
        }

        private void payloadType(String text) {
            try {
                RtpMap.payloadType(text, "");
            } catch (SdpException e) {
                throw error(e.getMessage().substring(2));
            }
        }

        private int number(String text, int maxDigits, int max, String what) {
            if (!RtpMap.isDigits(text, maxDigits)) throw error(what + " is not a number");
            int n = Integer.parseInt(text);
            if (n > max) throw error(what + " " + n + " is above " + max);
            return n;
        }

        private long time(String text, String what) {
            if (!RtpMap.isDigits(text, 18)) throw error(what + " \"" + text + "\" is not a number");
            return Long.parseLong(text);
        }

        private SdpException error(String reason) {
            return new SdpException("line " + lineNumber + " \"" + quote(line) + "\": " + reason);
        }
    }

    /** Per-section state while its lines are being read. */
    private static final class MediaBuilder {
        final String media;
        final int port;
        final OptionalInt portCount;
        final String proto;
        final List<String> formats;
        final boolean rtp;
        Connection connection;
        final List<String> bandwidths = new ArrayList<>();
        final List<Attribute> attributes = new ArrayList<>();
        final List<SdpLine> otherLines = new ArrayList<>();

        MediaBuilder(String media, int port, OptionalInt portCount, String proto, List<String> formats, boolean rtp) {
            this.media = media;
            this.port = port;
            this.portCount = portCount;
            this.proto = proto;
            this.formats = formats;
            this.rtp = rtp;
        }
    }

    /** Splits on runs of whitespace or control characters, which the value records refuse inside a field. */
    static List<String> fields(String value) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = value.length();
        while (i < n) {
            while (i < n && value.charAt(i) <= ' ') i++;
            int start = i;
            while (i < n && value.charAt(i) > ' ') i++;
            if (i > start) out.add(value.substring(start, i));
        }
        return out;
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) <= ' ') end--;
        return s.substring(0, end);
    }

    private static String quote(String line) {
        StringBuilder b = new StringBuilder();
        int n = Math.min(line.length(), QUOTE_CHARS);
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            b.append(c < ' ' || c == '"' ? '?' : c);
        }
        if (line.length() > QUOTE_CHARS) b.append("...");
        return b.toString();
    }
}

package org.pasarela.sdp;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A payload type's encoding: an {@code a=rtpmap} line (RFC 8866 §6.6), or the static assignment of RFC 3551 §6
 * for a payload type that has no rtpmap line. Channels are 1 when the rtpmap omits them.
 */
public record RtpMap(int payloadType, String encoding, int clockRate, int channels) {

    /** RFC 3551 Table 4: static audio payload types that equipment may send without an rtpmap line. */
    private static final Map<Integer, RtpMap> STATIC = Map.ofEntries(
            entry(0, "PCMU", 8000), entry(3, "GSM", 8000), entry(4, "G723", 8000), entry(5, "DVI4", 8000),
            entry(6, "DVI4", 16000), entry(7, "LPC", 8000), entry(8, "PCMA", 8000), entry(9, "G722", 8000),
            Map.entry(10, new RtpMap(10, "L16", 44100, 2)), entry(11, "L16", 44100), entry(12, "QCELP", 8000),
            entry(13, "CN", 8000), entry(14, "MPA", 90000), entry(15, "G728", 8000), entry(16, "DVI4", 11025),
            entry(17, "DVI4", 22050), entry(18, "G729", 8000));

    public RtpMap {
        Objects.requireNonNull(encoding, "encoding");
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType + " is outside 0-127");
        }
        SdpText.requireToken(encoding, "encoding name");
        if (encoding.indexOf('/') >= 0) throw new IllegalArgumentException("encoding name contains '/'");
        if (clockRate <= 0) throw new IllegalArgumentException("clock rate " + clockRate + " is not positive");
        if (channels <= 0) throw new IllegalArgumentException("channels " + channels + " is not positive");
    }

    private static Map.Entry<Integer, RtpMap> entry(int pt, String encoding, int clockRate) {
        return Map.entry(pt, new RtpMap(pt, encoding, clockRate, 1));
    }

    /** The RFC 3551 static assignment for this payload type, if it has one. */
    public static Optional<RtpMap> staticPayloadType(int payloadType) {
        return Optional.ofNullable(STATIC.get(payloadType));
    }

    /**
     * Parses the value of an {@code a=rtpmap} attribute, e.g. {@code 111 opus/48000/2}.
     *
     * @throws SdpException naming the value and what is wrong with it
     */
    public static RtpMap parse(String value) {
        String v = value.strip();
        int space = indexOfWhitespace(v);
        if (space < 0) throw new SdpException("a=rtpmap:" + value + ": expected \"<payload type> <encoding>/<clock rate>\"");
        int pt = payloadType(v.substring(0, space), "a=rtpmap:" + value);
        String[] parts = v.substring(space).strip().split("/", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || !isToken(parts[0])) {
            throw new SdpException("a=rtpmap:" + value + ": expected \"<encoding>/<clock rate>[/<channels>]\"");
        }
        int clockRate = positive(parts[1], "a=rtpmap:" + value, "clock rate");
        int channels = parts.length == 3 ? positive(parts[2], "a=rtpmap:" + value, "channels") : 1;
        return new RtpMap(pt, parts[0], clockRate, channels);
    }

    /**
     * Parses a payload type number (0-127, RFC 3550 §5.1).
     *
     * @throws SdpException saying which text in {@code where} is not a payload type
     */
    public static int payloadType(String text, String where) {
        if (!isDigits(text, 3)) throw new SdpException(where + ": payload type \"" + text + "\" is not a number");
        int pt = Integer.parseInt(text);
        if (pt > 127) throw new SdpException(where + ": payload type " + pt + " is outside 0-127");
        return pt;
    }

    private static int positive(String text, String where, String what) {
        if (!isDigits(text, 9)) throw new SdpException(where + ": " + what + " \"" + text + "\" is not a number");
        int n = Integer.parseInt(text);
        if (n == 0) throw new SdpException(where + ": " + what + " is 0");
        return n;
    }

    static boolean isDigits(String s, int maxLength) {
        if (s.isEmpty() || s.length() > maxLength) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) <= ' ') return false;
        }
        return true;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ' ' || s.charAt(i) == '\t') return i;
        }
        return -1;
    }

    /** True when encoding names are equal ignoring case (RFC 4855 §3: they are case-insensitive). */
    public boolean isEncoding(String name) {
        return encoding.equalsIgnoreCase(name);
    }

    /** The value of an {@code a=rtpmap} attribute for this mapping; channels only when not 1. */
    public String attributeValue() {
        return payloadType + " " + encoding + "/" + clockRate + (channels == 1 ? "" : "/" + channels);
    }
}

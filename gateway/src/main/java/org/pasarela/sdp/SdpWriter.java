package org.pasarela.sdp;

/**
 * Writes a {@link SessionDescription} as SDP text with CRLF line ends and lines in RFC 8866 §5 order; lines the
 * grammar does not interpret are written back verbatim, in their original order within their slot. Stateless and
 * thread-safe.
 */
public final class SdpWriter {
    private SdpWriter() {
    }

    public static String write(SessionDescription sdp) {
        StringBuilder b = new StringBuilder(1024);
        line(b, 'v', Integer.toString(sdp.version()));
        line(b, 'o', sdp.origin().toString());
        line(b, 's', sdp.sessionName());
        int cSlot = SdpLine.slot('b', SessionDescription.OTHER_SLOTS);
        int tSlot = SdpLine.slot('z', SessionDescription.OTHER_SLOTS);
        others(b, sdp, Integer.MIN_VALUE, cSlot);
        sdp.connection().ifPresent(c -> line(b, 'c', c.toString()));
        others(b, sdp, cSlot, tSlot);
        for (Timing t : sdp.timings()) {
            line(b, 't', t.startTime() + " " + t.stopTime());
            t.repeats().forEach(r -> line(b, 'r', r));
        }
        others(b, sdp, tSlot, Integer.MAX_VALUE);
        sdp.attributes().forEach(a -> line(b, 'a', a.toString()));
        sdp.media().forEach(m -> media(b, m));
        return b.toString();
    }

    private static void others(StringBuilder b, SessionDescription sdp, int fromSlot, int toSlot) {
        for (SdpLine l : sdp.otherLines()) {
            int slot = SdpLine.slot(l.type(), SessionDescription.OTHER_SLOTS);
            if (slot >= fromSlot && slot < toSlot) line(b, l.type(), l.value());
        }
    }

    private static void media(StringBuilder b, MediaDescription m) {
        StringBuilder mline = new StringBuilder().append(m.media()).append(' ').append(m.port());
        m.portCount().ifPresent(n -> mline.append('/').append(n));
        mline.append(' ').append(m.proto());
        m.formats().forEach(f -> mline.append(' ').append(f));
        line(b, 'm', mline.toString());
        for (SdpLine l : m.otherLines()) {
            if (l.type() == 'i') line(b, l.type(), l.value());
        }
        m.connection().ifPresent(c -> line(b, 'c', c.toString()));
        m.bandwidths().forEach(bw -> line(b, 'b', bw));
        for (SdpLine l : m.otherLines()) {
            if (l.type() != 'i') line(b, l.type(), l.value());
        }
        m.attributes().forEach(a -> line(b, 'a', a.toString()));
    }

    private static void line(StringBuilder b, char type, String value) {
        b.append(type).append('=').append(value).append("\r\n");
    }
}

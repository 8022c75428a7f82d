package org.pasarela.media;

/**
 * Static accessors for an RFC 4733 §2.3 telephone-event payload (event, E bit, volume, duration), read in place
 * at the RTP payload offset. Events are also how the {@link RtpRewriter} learns how far an event reaches in time.
 */
public final class TelephoneEventDecoder {

    /** RFC 4733 §2.3: event (8 bits), E R volume (8 bits), duration (16 bits). */
    public static final int PAYLOAD_BYTES = 4;

    private static final String DIGITS = "0123456789*#ABCD";

    private TelephoneEventDecoder() {
    }

    /** True when the RTP packet at {@code off} (already {@link RtpHeader#isValid valid}) has a full event payload. */
    public static boolean hasEvent(byte[] b, int off, int len) {
        return RtpHeader.payloadLength(b, off, len) >= PAYLOAD_BYTES;
    }

    public static int event(byte[] b, int payloadOffset) {
        return b[payloadOffset] & 0xff;
    }

    public static boolean isEnd(byte[] b, int payloadOffset) {
        return (b[payloadOffset + 1] & 0x80) != 0;
    }

    /** Power level in -dBm0, 0-63 (RFC 4733 §2.3.4). */
    public static int volume(byte[] b, int payloadOffset) {
        return b[payloadOffset + 1] & 0x3f;
    }

    /** Duration so far, in RTP timestamp units (RFC 4733 §2.3.5). */
    public static int duration(byte[] b, int payloadOffset) {
        return RtpHeader.u16(b, payloadOffset + 2);
    }

    /** RFC 4733 §3.2 event code of a DTMF digit (0-9 * # A-D, letters in either case), or -1. */
    public static int eventCode(char digit) {
        return DIGITS.indexOf(Character.toUpperCase(digit));
    }

    /** The DTMF digit for event codes 0-15, or {@code '?'} for other events. */
    public static char digit(int eventCode) {
        return eventCode >= 0 && eventCode < DIGITS.length() ? DIGITS.charAt(eventCode) : '?';
    }
}

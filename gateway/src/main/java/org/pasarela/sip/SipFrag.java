package org.pasarela.sip;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The status line of a {@code message/sipfrag} body (RFC 3420), as a REFER's NOTIFYs carry it (RFC 3515 §2.4.5):
 * {@code SIP/2.0 200 OK}, possibly followed by headers, which are ignored. Pure; stateless.
 */
public final class SipFrag {
    /** RFC 3261 §7.2 Status-Line; the version is matched loosely, as deployed UAs vary its case. */
    private static final Pattern STATUS_LINE = Pattern.compile("\\s*SIP/2\\.0[ \\t]+([1-6][0-9]{2})(?:[ \\t]+([^\\r\\n]*))?",
            Pattern.CASE_INSENSITIVE);
    private static final int MAX_REASON = 120;

    /** A sipfrag status line: the code and its reason phrase (the standard one when the line has none). */
    public record Status(int code, String reason) {}

    private SipFrag() {}

    /** The status line at the start of {@code body}, or empty when it does not start with one. */
    public static Optional<Status> status(String body) {
        if (body == null) {
            return Optional.empty();
        }
        Matcher m = STATUS_LINE.matcher(body);
        if (!m.lookingAt()) {
            return Optional.empty();
        }
        int code = Integer.parseInt(m.group(1));
        String reason = m.group(2) == null ? "" : m.group(2).replaceAll("\\p{Cntrl}", " ").strip();
        if (reason.isEmpty()) {
            reason = SipReasons.reasonPhrase(code);
        }
        if (reason.length() > MAX_REASON) {
            reason = reason.substring(0, MAX_REASON);
        }
        return Optional.of(new Status(code, reason));
    }
}

package org.pasarela.signaling;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@code {"type":"dtmf","call":"c1","digits":"123#","durationMs":100}}: sends DTMF on an answered (or early)
 * call, as RFC 4733 events or SIP INFO depending on the profile's dtmf mode.
 *
 * @param digits     1 to 64 of {@code 0-9 A-D * #}; a comma is a pause (2 s, as in WebRTC's insertDTMF)
 * @param durationMs tone length per digit, 40..6000, or null for {@value #DEFAULT_DURATION_MS}
 */
public record DtmfRequest(String id, String call, String digits, Integer durationMs) implements ClientMessage {
    public static final String TYPE = "dtmf";
    public static final int DEFAULT_DURATION_MS = 100;
    public static final int MIN_DURATION_MS = 40;
    public static final int MAX_DURATION_MS = 6000;
    public static final int MAX_DIGITS = 64;

    private static final Pattern DIGITS = Pattern.compile("[0-9A-D*#,]*");

    public DtmfRequest {
        FieldRules.optionalToken(id, "id");
        FieldRules.token(call, "call");
        FieldRules.required(digits, "digits");
        if (!DIGITS.matcher(digits).matches()) {
            throw new IllegalArgumentException(
                    "digits " + FieldRules.quote(digits) + " may contain only 0-9 A-D * # ,");
        }
        if (digits.isEmpty() || digits.length() > MAX_DIGITS) {
            throw new IllegalArgumentException(
                    "digits must be 1 to " + MAX_DIGITS + " characters, got " + digits.length());
        }
        if (durationMs != null && (durationMs < MIN_DURATION_MS || durationMs > MAX_DURATION_MS)) {
            throw new IllegalArgumentException(
                    "durationMs " + durationMs + " is outside " + MIN_DURATION_MS + ".." + MAX_DURATION_MS);
        }
    }

    /** The tone length to use: the requested one, or the default when the client sent none. */
    public Duration toneDuration() {
        return Duration.ofMillis(durationMs == null ? DEFAULT_DURATION_MS : durationMs);
    }

    @Override public String type() { return TYPE; }
}

package org.pasarela.signaling;

import java.util.regex.Pattern;

/**
 * The value rules shared by the message records. Each check throws {@link IllegalArgumentException} whose message
 * names the field as it is spelled on the wire; {@link SignalingCodec} prefixes it with the message type.
 */
final class FieldRules {
    /** Longest client id or call id; ids are correlation tokens, not payloads. */
    static final int MAX_TOKEN_LENGTH = 128;

    private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int QUOTE_LIMIT = 40;

    private FieldRules() {}

    /** A required id-like value: 1 to 128 characters, no control characters. */
    static String token(String value, String field) {
        required(value, field);
        return optionalToken(value, field);
    }

    /** An optional id-like value; {@code null} passes. */
    static String optionalToken(String value, String field) {
        if (value == null) return null;
        if (value.isEmpty() || value.length() > MAX_TOKEN_LENGTH) {
            throw new IllegalArgumentException(
                    "field \"" + field + "\" must be 1 to " + MAX_TOKEN_LENGTH + " characters, got " + value.length());
        }
        return noControlCharacters(value, field);
    }

    /** Required free text that ends up in SIP headers or logs: not empty, bounded, no control characters. */
    static String text(String value, String field, int maxLength) {
        required(value, field);
        if (value.isEmpty()) throw new IllegalArgumentException("field \"" + field + "\" must not be empty");
        return bounded(value, field, maxLength);
    }

    /** Required text that may be empty but not too long and without control characters. */
    static String bounded(String value, String field, int maxLength) {
        required(value, field);
        if (value.length() > maxLength) {
            throw new IllegalArgumentException(
                    "field \"" + field + "\" must be at most " + maxLength + " characters, got " + value.length());
        }
        return noControlCharacters(value, field);
    }

    /** An optional SIP profile name; restricted so that it can never name a path outside sip-profiles/. */
    static String optionalProfile(String value) {
        if (value == null) return null;
        if (!PROFILE.matcher(value).matches()) {
            throw new IllegalArgumentException("profile " + quote(value)
                    + " must be 1 to 64 letters, digits, \".\", \"_\" or \"-\", starting with a letter or digit");
        }
        return value;
    }

    static <T> T required(T value, String field) {
        if (value == null) throw new IllegalArgumentException("missing field \"" + field + "\"");
        return value;
    }

    /** CR/LF in a value that reaches SDP or SIP would inject lines; refuse all C0 controls and DEL. */
    static String noControlCharacters(String value, String field) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(
                        "field \"" + field + "\" must not contain control characters, found U+"
                                + String.format("%04X", (int) c) + " at index " + i);
            }
        }
        return value;
    }

    /** A value quoted for an error message: escaped like a JSON string and cut to a readable length. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), QUOTE_LIMIT) + 8).append('"');
        int end = Math.min(value.length(), QUOTE_LIMIT);
        if (end < value.length() && Character.isHighSurrogate(value.charAt(end - 1))) end--;  // keep pairs whole
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || isLoneSurrogate(value, i)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > QUOTE_LIMIT) out.append("...");
        return out.append('"').toString();
    }

    private static boolean isLoneSurrogate(String value, int i) {
        char c = value.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(value.charAt(i - 1)));
    }
}

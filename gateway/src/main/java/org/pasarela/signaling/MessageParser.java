package org.pasarela.signaling;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Turns one text frame into the fields of one JSON object, enforcing the size and nesting limits, and translates
 * every Jackson failure into a {@link ProtocolException} that keeps Jackson's line and column but not its source
 * dump. Top-level fields are read one by one so that the request's {@code id} and {@code call} are known even when
 * the JSON breaks later in the text. Thread-safe: Jackson's factory is, and nothing else is shared.
 */
final class MessageParser {
    static final int MAX_MESSAGE_BYTES = 256 * 1024;
    static final int MAX_NESTING_DEPTH = 16;
    /** Long enough for any id, code or index; short enough that no number is ever expensive to convert. */
    static final int MAX_NUMBER_LENGTH = 64;

    private static final Pattern SOURCE_LOCATION =
            Pattern.compile("\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]");
    private static final Pattern CONSTRAINT_HINT = Pattern.compile(", from `[^`]*`");

    private final ObjectMapper mapper;

    MessageParser() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxStringLength(MAX_MESSAGE_BYTES)
                        .maxNameLength(MAX_MESSAGE_BYTES)
                        .build())
                // Parsers disagree about which duplicate wins; refusing both is the only unambiguous answer.
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
        this.mapper = new ObjectMapper(factory);
    }

    ObjectMapper mapper() { return mapper; }

    /** The top-level object of {@code text}, with the id and call read from it on the way. */
    MessageFields parse(String text) {
        if (text == null || text.isEmpty()) throw ProtocolException.badRequest("message is empty", null, null);
        long bytes = utf8Length(text, MAX_MESSAGE_BYTES);
        if (bytes > MAX_MESSAGE_BYTES) {
            throw new ProtocolException(ErrorCodes.TOO_LARGE,
                    "message is larger than " + MAX_MESSAGE_BYTES + " bytes", null, null);
        }
        String id = null;
        String call = null;
        JsonParser parser = null;
        try {
            parser = mapper.createParser(text);
            JsonToken token = parser.nextToken();
            if (token == null) throw ProtocolException.badRequest("message is empty", null, null);
            if (token != JsonToken.START_OBJECT) {
                throw ProtocolException.badRequest("message is not a JSON object", null, null);
            }
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                JsonNode value = mapper.readTree(parser);
                object.set(name, value);
                if (name.equals("id")) id = validTokenOrNull(value);
                if (name.equals("call")) call = validTokenOrNull(value);
            }
            if (parser.nextToken() != null) {
                throw ProtocolException.badRequest(
                        "malformed JSON at " + position(parser.currentTokenLocation())
                                + ": more content after the JSON object", id, call);
            }
            return new MessageFields(object, id, call);
        } catch (StreamConstraintsException e) {
            JsonLocation where = parser == null ? null : parser.currentLocation();
            String message = e.getOriginalMessage();
            if (message != null && message.startsWith("Document nesting depth")) {
                throw ProtocolException.badRequest(
                        "JSON nested deeper than " + MAX_NESTING_DEPTH + " levels at " + position(where), id, call);
            }
            throw ProtocolException.badRequest(
                    "malformed JSON at " + position(where) + ": " + clean(message), id, call);
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation() != null ? e.getLocation()
                    : parser == null ? null : parser.currentLocation();
            throw ProtocolException.badRequest(
                    "malformed JSON at " + position(where) + ": " + clean(e.getOriginalMessage()), id, call);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ProtocolException protocolException) throw protocolException;
            // Reading from a String cannot fail with I/O, and Jackson documents no unchecked failures; if one
            // happens anyway, the contract is still "ProtocolException for any input".
            JsonLocation where = parser == null ? null : parser.currentLocation();
            throw ProtocolException.badRequest(
                    "malformed JSON at " + position(where) + ": " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " " + clean(e.getMessage())), id, call);
        } finally {
            if (parser != null) {
                try {
                    parser.close();
                } catch (IOException ignored) {
                    // closing a String-backed parser releases buffers only
                }
            }
        }
    }

    private static String validTokenOrNull(JsonNode value) {
        if (value == null || !value.isTextual()) return null;
        try {
            return FieldRules.optionalToken(value.textValue(), "id");
        } catch (IllegalArgumentException notAnId) {
            return null;
        }
    }

    private static String position(JsonLocation where) {
        if (where == null) return "unknown position";
        return "line " + where.getLineNr() + " column " + where.getColumnNr();
    }

    private static String clean(String jacksonMessage) {
        if (jacksonMessage == null) return "invalid JSON";
        String located = SOURCE_LOCATION.matcher(jacksonMessage).replaceAll("line $1 column $2");
        return CONSTRAINT_HINT.matcher(located).replaceAll("").replace('\n', ' ');
    }

    /** UTF-8 length of {@code text}, counting no further than just past {@code limit}. */
    static long utf8Length(String text, int limit) {
        if (text.length() > limit) return text.length();
        long bytes = 0;
        for (int i = 0; i < text.length() && bytes <= limit; i++) {
            char c = text.charAt(i);
            if (c < 0x80) bytes += 1;
            else if (c < 0x800) bytes += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else bytes += 3;
        }
        return bytes;
    }
}

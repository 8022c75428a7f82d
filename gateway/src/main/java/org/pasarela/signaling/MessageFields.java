package org.pasarela.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Typed, checked access to the fields of one message object (or of an object nested in it, such as
 * {@code jsep}). Every failure is a {@link ProtocolException} whose message starts with the message type and
 * names the field by its path: {@code call: field "jsep.sdp" must be a string}. A JSON {@code null} reads as an
 * absent field. Not thread-safe; lives for one decode.
 */
final class MessageFields {
    private final ObjectNode object;
    private final String path;
    private final String id;
    private final String call;
    private String type = "";

    MessageFields(ObjectNode object, String id, String call) {
        this(object, "", id, call);
    }

    private MessageFields(ObjectNode object, String path, String id, String call) {
        this.object = object;
        this.path = path;
        this.id = id;
        this.call = call;
    }

    /** Reads {@code "type"}. */
    String type() {
        JsonNode node = object.get("type");
        if (node == null || node.isNull()) throw fail("missing field \"type\"");
        if (!node.isTextual()) throw fail("field \"type\" must be a string");
        return node.textValue();
    }

    /** From now on failures are prefixed with the (known) message type: {@code call: ...}. */
    MessageFields prefixWith(String knownType) {
        this.type = knownType;
        return this;
    }

    /** Whether the field is present at all, even as {@code null}. */
    boolean has(String name) {
        return object.has(name);
    }

    /** Whether the field is present with the value {@code null}. */
    boolean isNull(String name) {
        JsonNode node = object.get(name);
        return node != null && node.isNull();
    }

    String string(String name) {
        JsonNode node = value(name);
        if (node == null) return null;
        if (!node.isTextual()) throw fail("field \"" + path + name + "\" must be a string");
        return node.textValue();
    }

    Integer integer(String name) {
        JsonNode node = value(name);
        if (node == null) return null;
        if (!node.isIntegralNumber()) throw fail("field \"" + path + name + "\" must be an integer");
        if (!node.canConvertToInt()) {
            throw fail("field \"" + path + name + "\" value " + node.asText() + " is out of range");
        }
        return node.intValue();
    }

    /** An array of strings, or null when absent. */
    List<String> strings(String name) {
        JsonNode node = value(name);
        if (node == null) return null;
        if (!node.isArray()) throw fail("field \"" + path + name + "\" must be an array of strings");
        List<String> out = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            if (!element.isTextual()) throw fail("field \"" + path + name + "\" must be an array of strings");
            out.add(element.textValue());
        }
        return out;
    }

    /** A whole number that may exceed an int (durations in milliseconds). */
    Long longInteger(String name) {
        JsonNode node = value(name);
        if (node == null) return null;
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw fail("field \"" + path + name + "\" must be an integer");
        }
        return node.longValue();
    }

    Boolean bool(String name) {
        JsonNode node = value(name);
        if (node == null) return null;
        if (!node.isBoolean()) throw fail("field \"" + path + name + "\" must be true or false");
        return node.booleanValue();
    }

    /** An ISO-8601 instant such as {@code 2025-03-01T10:00:00Z}, or null when absent. */
    java.time.Instant instant(String name) {
        String text = string(name);
        if (text == null) return null;
        try {
            return java.time.Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw fail("field \"" + path + name + "\" must be an ISO-8601 instant such as 2025-03-01T10:00:00Z");
        }
    }

    /** An array of objects, or null when absent; element failures name fields as {@code name[i].field}. */
    java.util.List<MessageFields> objects(String name) {
        JsonNode node = value(name);
        if (node == null) return null;
        if (!node.isArray()) throw fail("field \"" + path + name + "\" must be an array");
        java.util.List<MessageFields> out = new java.util.ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode element = node.get(i);
            if (!element.isObject()) throw fail("field \"" + path + name + "[" + i + "]\" must be an object");
            MessageFields nested = new MessageFields((ObjectNode) element, path + name + "[" + i + "].", id, call);
            nested.type = type;
            out.add(nested);
        }
        return out;
    }

    /** A nested object, or null when absent; its failures name fields as {@code name.field}. */
    MessageFields object(String name) {
        JsonNode node = value(name);
        if (node == null) return null;
        if (!node.isObject()) throw fail("field \"" + path + name + "\" must be an object");
        MessageFields nested = new MessageFields((ObjectNode) node, path + name + ".", id, call);
        nested.type = type;
        return nested;
    }

    /** Runs a record constructor, turning its {@link IllegalArgumentException} into a {@link ProtocolException}. */
    <T> T build(Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException invalid) {
            throw fail(invalid.getMessage());
        }
    }

    ProtocolException fail(String reason) {
        String prefix = type.isEmpty() ? "" : type + ": ";
        // In a call request "call" is not a call id; echoing it would point the client at the wrong call.
        String echoedCall = CallRequest.TYPE.equals(type) ? null : call;
        return ProtocolException.badRequest(prefix + reason, id, echoedCall);
    }

    private JsonNode value(String name) {
        JsonNode node = object.get(name);
        return node == null || node.isNull() ? null : node;
    }
}

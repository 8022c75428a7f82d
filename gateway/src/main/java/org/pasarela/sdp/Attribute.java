package org.pasarela.sdp;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code a=} line (RFC 8866 §5.13): a property attribute such as {@code a=rtcp-mux} has no value; a value
 * attribute such as {@code a=rtpmap:111 opus/48000/2} has name {@code rtpmap} and value {@code 111 opus/48000/2}.
 * The value is kept exactly as written after the first colon, leading spaces included, so writing is lossless.
 */
public record Attribute(String name, Optional<String> value) {

    public Attribute {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty()) throw new IllegalArgumentException("attribute name is empty");
        if (name.indexOf(':') >= 0) throw new IllegalArgumentException("attribute name \"" + name + "\" contains ':'");
        SdpText.requireSingleLine(name, "attribute name");
        value.ifPresent(v -> SdpText.requireSingleLine(v, "attribute value"));
    }

    /** A property attribute, e.g. {@code a=rtcp-mux}. */
    public static Attribute property(String name) {
        return new Attribute(name, Optional.empty());
    }

    /** A value attribute, e.g. {@code a=ptime:20}. */
    public static Attribute of(String name, String value) {
        return new Attribute(name, Optional.of(value));
    }

    /** The value, or the empty string for a property attribute. */
    public String valueOrEmpty() {
        return value.orElse("");
    }

    /** The text after {@code a=}. */
    @Override
    public String toString() {
        return value.map(v -> name + ":" + v).orElse(name);
    }
}

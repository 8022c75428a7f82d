package org.pasarela.sdp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole SDP (RFC 8866 §5). Immutable; {@code withX} returns a copy. Session-level lines this grammar does not
 * interpret ({@code i= u= e= p= b= z= k=} and unknown types) are kept verbatim in {@link #otherLines()}, sorted
 * into their RFC 8866 slot (stable, so lines of one type keep their order) so that parse(write(x)) equals x.
 *
 * @param version     the {@code v=} value; always 0 (RFC 8866 §5.1)
 * @param sessionName the {@code s=} value; {@code -} when the SDP had none
 * @param timings     the {@code t=} lines with their {@code r=} lines; empty only when the SDP had none
 */
public record SessionDescription(int version, Origin origin, String sessionName, Optional<Connection> connection,
                                 List<Timing> timings, List<Attribute> attributes, List<MediaDescription> media,
                                 List<SdpLine> otherLines) {

    /** Session-level slot order: i u e p come before c=, b after c=, z k after t=, unknown letters last. */
    static final String OTHER_SLOTS = "iuepbzk";

    public SessionDescription {
        if (version != 0) throw new IllegalArgumentException("SDP version " + version + " is not 0");
        Objects.requireNonNull(origin, "origin");
        SdpText.requireSingleLine(Objects.requireNonNull(sessionName, "sessionName"), "s= value");
        Objects.requireNonNull(connection, "connection");
        timings = List.copyOf(timings);
        attributes = List.copyOf(attributes);
        media = List.copyOf(media);
        otherLines = SdpLine.sorted(otherLines, OTHER_SLOTS);
    }

    /** {@code v=0}, the origin, {@code s=-}, an optional session-level c=, {@code t=0 0}, attributes and media. */
    public static SessionDescription of(Origin origin, Optional<Connection> connection, List<Attribute> attributes,
                                        List<MediaDescription> media) {
        return new SessionDescription(0, origin, "-", connection, List.of(Timing.unbounded()), attributes, media,
                List.of());
    }

    /** The first session-level attribute with this name. */
    public Optional<Attribute> attribute(String name) {
        return attributes.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /** The value of the first session-level attribute with this name. */
    public Optional<String> attributeValue(String name) {
        return attribute(name).flatMap(Attribute::value);
    }

    /** All session-level attributes with this name, in order. */
    public List<Attribute> attributes(String name) {
        return attributes.stream().filter(a -> a.name().equals(name)).toList();
    }

    /** The connection that applies to a media section: its own c=, else the session-level c= (RFC 8866 §5.7). */
    public Optional<Connection> connectionFor(MediaDescription m) {
        return m.connection().or(() -> connection);
    }

    /** The direction of a media section: its own attribute, else the session's, else sendrecv (RFC 3264 §5.1). */
    public Direction directionOf(MediaDescription m) {
        return m.direction().or(() -> attributes.stream().map(a -> Direction.fromAttribute(a.name()))
                .flatMap(Optional::stream).findFirst()).orElse(Direction.SENDRECV);
    }

    public SessionDescription withOrigin(Origin newOrigin) {
        return new SessionDescription(version, newOrigin, sessionName, connection, timings, attributes, media,
                otherLines);
    }

    public SessionDescription withSessionName(String newSessionName) {
        return new SessionDescription(version, origin, newSessionName, connection, timings, attributes, media,
                otherLines);
    }

    public SessionDescription withConnection(Optional<Connection> newConnection) {
        return new SessionDescription(version, origin, sessionName, newConnection, timings, attributes, media,
                otherLines);
    }

    public SessionDescription withTimings(List<Timing> newTimings) {
        return new SessionDescription(version, origin, sessionName, connection, newTimings, attributes, media,
                otherLines);
    }

    public SessionDescription withAttributes(List<Attribute> newAttributes) {
        return new SessionDescription(version, origin, sessionName, connection, timings, newAttributes, media,
                otherLines);
    }

    public SessionDescription withMedia(List<MediaDescription> newMedia) {
        return new SessionDescription(version, origin, sessionName, connection, timings, attributes, newMedia,
                otherLines);
    }

    public SessionDescription withOtherLines(List<SdpLine> newOtherLines) {
        return new SessionDescription(version, origin, sessionName, connection, timings, attributes, media,
                newOtherLines);
    }
}

package org.pasarela.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One media section: an {@code m=} line and the lines under it (RFC 8866 §5.14). Immutable; {@code withX} returns
 * a copy. Lines this grammar does not interpret ({@code i=}, {@code k=}, unknown types) are kept verbatim in
 * {@link #otherLines()}, sorted into their RFC 8866 slot so that parse(write(x)) equals x.
 *
 * @param media      media type, e.g. {@code audio}, {@code video}, {@code application}
 * @param port       0-65535; 0 rejects or disables the stream (RFC 3264 §6)
 * @param portCount  the {@code /<number of ports>} suffix of the port, when present
 * @param proto      transport protocol, e.g. {@code UDP/TLS/RTP/SAVPF}, {@code RTP/AVP}
 * @param formats    media formats as written; for RTP protos these are payload type numbers
 * @param bandwidths values of the {@code b=} lines, e.g. {@code AS:64}
 */
public record MediaDescription(String media, int port, OptionalInt portCount, String proto, List<String> formats,
                               Optional<Connection> connection, List<String> bandwidths, List<Attribute> attributes,
                               List<SdpLine> otherLines) {

    /** Media-level slot order after c= and b=: i= comes first (before c=), then k=, then unknown letters. */
    static final String OTHER_SLOTS = "ik";

    public MediaDescription {
        SdpText.requireToken(Objects.requireNonNull(media, "media"), "media type");
        SdpText.requireToken(Objects.requireNonNull(proto, "proto"), "proto");
        Objects.requireNonNull(portCount, "portCount");
        Objects.requireNonNull(connection, "connection");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is outside 0-65535");
        portCount.ifPresent(n -> {
            if (n < 1 || n > 65535) throw new IllegalArgumentException("port count " + n + " is outside 1-65535");
        });
        formats = List.copyOf(formats);
        formats.forEach(f -> SdpText.requireToken(f, "format"));
        bandwidths = List.copyOf(bandwidths);
        bandwidths.forEach(b -> SdpText.requireSingleLine(b, "b= value"));
        attributes = List.copyOf(attributes);
        otherLines = SdpLine.sorted(otherLines, OTHER_SLOTS);
    }

    /** A media section with only an m= line and attributes. */
    public static MediaDescription of(String media, int port, String proto, List<String> formats,
                                      List<Attribute> attributes) {
        return new MediaDescription(media, port, OptionalInt.empty(), proto, formats, Optional.empty(), List.of(),
                attributes, List.of());
    }

    /** True when the proto carries RTP, so formats are payload type numbers (RFC 8866 §5.14). */
    public boolean isRtp() {
        return isRtpProto(proto);
    }

    static boolean isRtpProto(String proto) {
        for (String part : proto.split("/")) {
            if (part.equals("RTP")) return true;
        }
        return false;
    }

    /** The first attribute with this name. */
    public Optional<Attribute> attribute(String name) {
        return attributes.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /** The value of the first attribute with this name; empty when it is absent or has no value. */
    public Optional<String> attributeValue(String name) {
        return attribute(name).flatMap(Attribute::value);
    }

    /** All attributes with this name, in order. */
    public List<Attribute> attributes(String name) {
        return attributes.stream().filter(a -> a.name().equals(name)).toList();
    }

    public boolean hasAttribute(String name) {
        return attribute(name).isPresent();
    }

    /** The direction attribute of this section, if it has one (RFC 8866 §6.7). */
    public Optional<Direction> direction() {
        return attributes.stream().map(a -> Direction.fromAttribute(a.name())).flatMap(Optional::stream).findFirst();
    }

    /**
     * The encodings of the payload types in {@link #formats()}, in format order: from {@code a=rtpmap}, else from
     * the RFC 3551 static table. Dynamic payload types without an rtpmap line are left out. Empty for non-RTP protos.
     *
     * @throws SdpException when an rtpmap line for a listed payload type is malformed
     */
    public List<RtpMap> rtpmaps() {
        List<RtpMap> out = new ArrayList<>();
        if (!isRtp()) return out;
        for (String format : formats) {
            if (!RtpMap.isDigits(format, 3)) continue;
            rtpmap(Integer.parseInt(format)).ifPresent(out::add);
        }
        return out;
    }

    /** The encoding of one payload type: its {@code a=rtpmap}, else its RFC 3551 static assignment. */
    public Optional<RtpMap> rtpmap(int payloadType) {
        for (Attribute a : attributes("rtpmap")) {
            String v = a.valueOrEmpty().strip();
            if (v.startsWith(payloadType + " ") || v.startsWith(payloadType + "\t")) return Optional.of(RtpMap.parse(v));
        }
        return RtpMap.staticPayloadType(payloadType);
    }

    /** The {@code a=fmtp} parameters of one payload type (the text after the payload type number). */
    public Optional<String> fmtp(int payloadType) {
        for (Attribute a : attributes("fmtp")) {
            String v = a.valueOrEmpty();
            String prefix = payloadType + " ";
            if (v.startsWith(prefix)) return Optional.of(v.substring(prefix.length()).strip());
        }
        return Optional.empty();
    }

    public MediaDescription withPort(int newPort) {
        return new MediaDescription(media, newPort, portCount, proto, formats, connection, bandwidths, attributes,
                otherLines);
    }

    public MediaDescription withProto(String newProto) {
        return new MediaDescription(media, port, portCount, newProto, formats, connection, bandwidths, attributes,
                otherLines);
    }

    public MediaDescription withFormats(List<String> newFormats) {
        return new MediaDescription(media, port, portCount, proto, newFormats, connection, bandwidths, attributes,
                otherLines);
    }

    public MediaDescription withConnection(Optional<Connection> newConnection) {
        return new MediaDescription(media, port, portCount, proto, formats, newConnection, bandwidths, attributes,
                otherLines);
    }

    public MediaDescription withBandwidths(List<String> newBandwidths) {
        return new MediaDescription(media, port, portCount, proto, formats, connection, newBandwidths, attributes,
                otherLines);
    }

    public MediaDescription withAttributes(List<Attribute> newAttributes) {
        return new MediaDescription(media, port, portCount, proto, formats, connection, bandwidths, newAttributes,
                otherLines);
    }

    public MediaDescription withOtherLines(List<SdpLine> newOtherLines) {
        return new MediaDescription(media, port, portCount, proto, formats, connection, bandwidths, attributes,
                newOtherLines);
    }
}

package org.pasarela.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Hand-built RTP packets and the hex vectors of vectors/rtp (see its README.md). */
final class TestPackets {

    static final Path VECTORS = Path.of("src/test/resources/vectors/rtp");

    private TestPackets() {
    }

    /** A version-2 RTP packet without CSRC, extension or padding, with a payload of {@code payloadBytes} x 0xd5. */
    static byte[] rtp(int payloadType, int sequence, int timestamp, int ssrc, int payloadBytes) {
        byte[] b = new byte[RtpHeader.FIXED_HEADER_BYTES + payloadBytes];
        b[0] = (byte) 0x80;
        RtpHeader.setPayloadType(b, 0, payloadType);
        RtpHeader.setSequenceNumber(b, 0, sequence);
        RtpHeader.setTimestamp(b, 0, timestamp);
        RtpHeader.setSsrc(b, 0, ssrc);
        for (int i = RtpHeader.FIXED_HEADER_BYTES; i < b.length; i++) b[i] = (byte) 0xd5;
        return b;
    }

    /** An RFC 4733 packet: event, E bit, volume 10, duration. */
    static byte[] event(int payloadType, int sequence, int timestamp, int ssrc, int event, boolean end, int duration) {
        byte[] b = rtp(payloadType, sequence, timestamp, ssrc, TelephoneEventDecoder.PAYLOAD_BYTES);
        b[12] = (byte) event;
        b[13] = (byte) ((end ? 0x80 : 0) | 10);
        b[14] = (byte) (duration >>> 8);
        b[15] = (byte) duration;
        return b;
    }

    /** The bytes of a vector file: hex pairs, whitespace ignored, {@code #} comments to end of line. */
    static byte[] vector(String name) {
        try {
            StringBuilder hex = new StringBuilder();
            for (String line : Files.readAllLines(VECTORS.resolve(name), StandardCharsets.US_ASCII)) {
                int comment = line.indexOf('#');
                hex.append((comment < 0 ? line : line.substring(0, comment)).replaceAll("\\s+", ""));
            }
            return HexFormat.of().parseHex(hex);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> vectors(String suffix) {
        try (Stream<Path> files = Files.list(VECTORS)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

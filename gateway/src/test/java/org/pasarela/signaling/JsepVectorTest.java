package org.pasarela.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file under vectors/jsep/ decodes (or fails) as its folder says; adding a vector needs no Java change. */
class JsepVectorTest {
    private static final SignalingCodec CODEC = new SignalingCodec();

    static Path vectors(String folder) {
        try {
            return Path.of(JsepVectorTest.class.getResource("/vectors/jsep/" + folder).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Path> files(String folder, String suffix) {
        try (Stream<Path> list = Files.list(vectors(folder))) {
            return list.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Path> clientVectors() { return files("client", ".json"); }

    static Stream<Path> serverVectors() { return files("server", ".json"); }

    static Stream<Path> invalidVectors() { return files("invalid", ".json"); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientVectors")
    void decodesClientVectorAndReencodesItStably(Path file) {
        ClientMessage message = CODEC.decode(read(file));

        String encoded = CODEC.encode(message);
        assertThat(CODEC.decode(encoded)).isEqualTo(message);
        assertThat(CODEC.encode(CODEC.decode(encoded))).isEqualTo(encoded);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serverVectors")
    void decodesServerVectorAndReencodesItExactly(Path file) {
        String text = read(file).strip();

        ServerMessage message = CODEC.decodeServer(text);

        assertThat(CODEC.encode(message)).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidVectors")
    void refusesInvalidVectorWithTheExpectedCodeReasonAndId(Path file) {
        String name = file.getFileName().toString().replaceFirst("\\.json$", ".expected");
        List<String> expected = read(file.resolveSibling(name)).lines().toList();

        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> CODEC.decode(read(file)));

        assertThat(e).as("decode must refuse %s", file.getFileName()).isNotNull();
        assertThat(e.code()).isEqualTo(Integer.parseInt(expected.get(0)));
        assertThat(e.getMessage()).isEqualTo(expected.get(1));
        assertThat(e.requestId().orElse("-")).isEqualTo(expected.get(2));
    }

    @Test
    void everyVectorFolderHasAReadmeAndEveryInvalidVectorHasItsExpectation() {
        assertThat(Files.exists(vectors("client").resolveSibling("README.md"))).isTrue();
        assertThat(files("invalid", ".json"))
                .allSatisfy(f -> assertThat(f.resolveSibling(
                        f.getFileName().toString().replaceFirst("\\.json$", ".expected"))).exists());
        assertThat(files("invalid", ".expected")).hasSameSizeAs(files("invalid", ".json").toList());
    }

    @Test
    void chromiumOfferVectorCarriesTheCapturedSdpByteForByte() throws IOException {
        CallRequest call = (CallRequest) CODEC.decode(read(vectors("client")
                .resolve("chromium-156-call-audio-offer.json")));

        String captured = Files.readString(vectors("source-sdp").resolve("chromium-audio-offer.sdp"));
        assertThat(call.jsep().sdp()).isEqualTo(captured).startsWith("v=0\r\n").contains("a=ice-options:trickle\r\n");
        assertThat(call).extracting(CallRequest::id, CallRequest::to, CallRequest::profile)
                .containsExactly("2", "+34931234567", "trunk");
    }
}

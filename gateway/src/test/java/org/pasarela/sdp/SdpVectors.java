package org.pasarela.sdp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads the SDP vectors under {@code src/test/resources/vectors/sdp/}. */
final class SdpVectors {
    private SdpVectors() {
    }

    static Path root() {
        URL url = SdpVectors.class.getClassLoader().getResource("vectors/sdp");
        if (url == null) throw new IllegalStateException("vectors/sdp is not on the test classpath");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every {@code *.sdp} file, as a path relative to the vectors root so test names stay short. */
    static Stream<String> names() {
        try (Stream<Path> files = Files.walk(root())) {
            List<String> names = files.filter(p -> p.toString().endsWith(".sdp"))
                    .map(p -> root().relativize(p).toString().replace('\\', '/')).sorted().toList();
            if (names.isEmpty()) throw new IllegalStateException("no SDP vectors found");
            return names.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(String name) {
        try {
            return Files.readString(root().resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

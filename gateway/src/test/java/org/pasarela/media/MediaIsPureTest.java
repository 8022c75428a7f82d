package org.pasarela.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** media is core and per-packet: JDK and project imports only, no sockets, no threads (STYLE.md). */
class MediaIsPureTest {

    @Test
    void mediaImportsOnlyTheJdkAndTheProjectAndOpensNoSocketsOrThreads() throws IOException {
        Path dir = Path.of("src/main/java/org/pasarela/media");
        List<Path> sources;
        try (Stream<Path> files = Files.walk(dir)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        assertThat(sources).hasSizeGreaterThan(5);
        for (Path source : sources) {
            for (String line : Files.readAllLines(source)) {
                String trimmed = line.trim();
                if (trimmed.startsWith("import ")) {
                    assertThat(trimmed).as(source + " imports")
                            .matches("import (static )?(java\\.|org\\.pasarela\\.).*");
                }
                assertThat(trimmed).as(source.toString())
                        .doesNotContain("DatagramChannel").doesNotContain("DatagramSocket")
                        .doesNotContain("new Thread").doesNotContain("Executor").doesNotContain("System.nanoTime");
            }
        }
    }
}

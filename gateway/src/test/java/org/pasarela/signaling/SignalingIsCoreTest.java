package org.pasarela.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The signaling package is core: it must stay free of the transport libraries (STYLE.md, "keep the core honest"). */
class SignalingIsCoreTest {
    private static final List<String> FORBIDDEN =
            List.of("io.netty", "javax.sip", "gov.nist", "org.ice4j", "org.bouncycastle");

    @Test
    void importsNoNettySipIceOrDtlsLibrary() throws IOException {
        Path sources = Path.of("src/main/java/org/pasarela/signaling");
        assertThat(sources).isDirectory();
        try (Stream<Path> files = Files.list(sources)) {
            List<Path> javaFiles = files.filter(f -> f.toString().endsWith(".java")).toList();
            assertThat(javaFiles).isNotEmpty();
            for (Path file : javaFiles) {
                for (String line : Files.readAllLines(file)) {
                    if (!line.startsWith("import ")) continue;
                    assertThat(FORBIDDEN).as("%s: %s", file.getFileName(), line)
                            .noneMatch(prefix -> line.contains(" " + prefix + ".") || line.contains("static " + prefix));
                }
            }
        }
    }
}

package org.pasarela.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** sdp and bridge are core packages: pure, so they must not reach for a network or crypto library (STYLE.md). */
class CoreImportsTest {
    private static final List<String> FORBIDDEN = List.of("io.netty", "javax.sip", "gov.nist", "org.ice4j",
            "org.bouncycastle");

    @Test
    void sdpAndBridgeImportNoEdgeLibrary() throws IOException {
        for (String pkg : List.of("sdp", "bridge")) {
            Path dir = Path.of("src/main/java/org/pasarela", pkg);
            assertThat(dir).isDirectory();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String source = Files.readString(file);
                    for (String forbidden : FORBIDDEN) {
                        assertThat(source).as(file.toString()).doesNotContain("import " + forbidden)
                                .doesNotContain("import static " + forbidden);
                    }
                }
            }
        }
    }
}

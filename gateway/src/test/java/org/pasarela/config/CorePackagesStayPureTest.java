package org.pasarela.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** config (except ConfigLoader) and dialplan are core: no networking, SIP, ICE, crypto or config libraries. */
class CorePackagesStayPureTest {
    private static final List<String> FORBIDDEN = List.of("import io.netty", "import javax.sip", "import gov.nist",
            "import org.ice4j", "import org.bouncycastle", "import org.apache.commons.configuration2");

    @Test
    void configAndDialplanImportNoEdgeLibraries() throws IOException {
        Path main = Path.of("src/main/java/org/pasarela");
        try (Stream<Path> files = Stream.concat(Files.walk(main.resolve("config")),
                Files.walk(main.resolve("dialplan")))) {
            List<Path> sources = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.getFileName().toString().equals("ConfigLoader.java")).toList();
            assertThat(sources).isNotEmpty();
            for (Path source : sources) {
                String text = Files.readString(source);
                assertThat(FORBIDDEN).as(source.toString()).noneMatch(text::contains);
            }
        }
    }
}

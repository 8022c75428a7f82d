package org.pasarela.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** stun and ice are core: pure byte and state logic, no sockets, threads, clocks or edge libraries. */
class StunAndIceStayPureTest {
    private static final List<String> FORBIDDEN = List.of("import io.netty", "import javax.sip", "import gov.nist",
            "import org.ice4j", "import org.bouncycastle", "import java.net.DatagramSocket",
            "import java.nio.channels", "Thread", "System.nanoTime", "System.currentTimeMillis", "Instant.now",
            "Clock");

    @Test
    void stunAndIceImportNoEdgeLibrariesAndReadNoClock() throws IOException {
        Path main = Path.of("src/main/java/org/pasarela");
        try (Stream<Path> files = Stream.concat(Files.walk(main.resolve("stun")), Files.walk(main.resolve("ice")))) {
            List<Path> sources = files.filter(f -> f.toString().endsWith(".java")).toList();
            assertThat(sources).hasSizeGreaterThan(5);
            for (Path source : sources) {
                String text = Files.readString(source);
                assertThat(FORBIDDEN).as(source.toString()).noneMatch(text::contains);
            }
        }
    }
}

package org.pasarela;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core decides, the edges do I/O (STYLE.md): core packages must not import a network, SIP, ICE, crypto or
 * configuration library. A new core package is added to {@link #CORE} when it is created.
 */
class CoreStaysPureTest {
    private static final Path SOURCES = Path.of("src/main/java/org/pasarela");
    private static final List<String> CORE = List.of("sdp", "bridge", "call", "registration", "signaling", "config",
            "dialplan", "sip", "lane", "media", "srtp", "stun", "ice", "auth", "fraud");
    private static final List<String> FORBIDDEN = List.of("io.netty", "javax.sip", "gov.nist", "org.ice4j",
            "org.bouncycastle", "org.apache.commons.configuration2", "java.net.Socket", "java.nio.channels");
    /** Packages whose time and threads come from their callers, so tests run in virtual time (STYLE.md 4). */
    private static final List<String> NO_CLOCK_NO_THREADS = List.of("sdp", "bridge", "call", "signaling", "dialplan",
            "media", "srtp", "stun", "ice", "auth", "fraud");
    private static final List<String> CLOCK_AND_THREADS = List.of("System.nanoTime", "System.currentTimeMillis",
            "Instant.now(", "Clock.system", "new Thread(", "Thread.sleep", "Executors.");
    /** The one class allowed to read configuration files. */
    private static final Path CONFIG_LOADER = SOURCES.resolve("config/ConfigLoader.java");

    @Test
    void corePackagesImportNoEdgeLibrary() throws IOException {
        List<String> violations = new ArrayList<>();
        for (String pkg : CORE) {
            Path dir = SOURCES.resolve(pkg);
            assertThat(dir).as("core package " + pkg).isDirectory();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    for (String line : Files.readAllLines(file)) {
                        for (String forbidden : FORBIDDEN) {
                            boolean allowed = file.equals(CONFIG_LOADER)
                                    && forbidden.equals("org.apache.commons.configuration2");
                            if (!allowed && line.matches("import (static )?" + forbidden.replace(".", "\\.") + "\\b.*")) {
                                violations.add(file + ": " + line);
                            }
                        }
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void pureCoreReadsNoClockAndStartsNoThread() throws IOException {
        List<String> violations = new ArrayList<>();
        for (String pkg : NO_CLOCK_NO_THREADS) {
            try (Stream<Path> files = Files.walk(SOURCES.resolve(pkg))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    for (String line : Files.readAllLines(file)) {
                        String code = line.strip();
                        if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*")) {
                            continue;
                        }
                        for (String forbidden : CLOCK_AND_THREADS) {
                            if (code.contains(forbidden)) {
                                violations.add(file + ": " + code);
                            }
                        }
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }
}

package org.pasarela.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.pasarela.sdp.SdpParser;
import org.pasarela.sdp.SessionDescription;

/** The fixed LocalMedia of the golden vectors and helpers to read them. */
final class BridgeFixtures {
    static final LocalMedia LOCAL = new LocalMedia("203.0.113.10", 40000, 30000, "gwUfrag1",
            "gwPasswordGwPasswordGw1",
            "4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3E:4B:65:7F:1E:2B:2E:C2:59:63:F0:5D",
            1234567890L, 1L);

    private BridgeFixtures() {
    }

    static Path resource(String name) {
        URL url = BridgeFixtures.class.getClassLoader().getResource(name);
        if (url == null) throw new IllegalStateException(name + " is not on the test classpath");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SessionDescription sdp(String vector) {
        return SdpParser.parse(read(resource("vectors/sdp/" + vector)));
    }

    static List<String> codecs(Path caseDir) {
        return Arrays.stream(read(caseDir.resolve("codecs.txt")).strip().split(",")).map(String::strip).toList();
    }
}

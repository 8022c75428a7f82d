package org.pasarela.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebAssetsTest {
    @Test
    void servesAFileFromTheWebFolderWithItsContentType() {
        WebAssets.Asset asset = WebAssets.find("/probe.json").orElseThrow();
        assertThat(asset.contentType()).isEqualTo("application/json");
        assertThat(new String(asset.bytes(), StandardCharsets.UTF_8)).contains("\"probe\":true");
    }

    @Test
    void servesNothingOutsideTheOneFolder() {
        assertThat(WebAssets.find("/../logback.xml")).isEmpty();
        assertThat(WebAssets.find("/..%2flogback.xml")).isEmpty();
        assertThat(WebAssets.find("/web/probe.json")).isEmpty();
        assertThat(WebAssets.find("//etc/passwd")).isEmpty();
        assertThat(WebAssets.find("/logback.xml")).isEmpty(); // a real class-path file, but not a web type
    }

    @Test
    void answersNothingForFilesThatDoNotExist() {
        assertThat(WebAssets.find("/missing.js")).isEmpty();
    }
}

package org.pasarela.transport.ws;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The browser client files shipped inside the jar under {@code /web} (the softphone page and the JavaScript
 * client library), served at the root: {@code /} is {@code /web/index.html}. Only plain file names in that one
 * folder are served, so no request can walk out of it; files are read once and kept.
 */
final class WebAssets {
    private static final String ROOT = "/web";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "wav", "audio/wav",
            "json", "application/json");
    private static final Map<String, Optional<Asset>> CACHE = new ConcurrentHashMap<>();

    record Asset(String contentType, byte[] bytes) {}

    private WebAssets() {}

    static Optional<Asset> find(String path) {
        String name = path.equals("/") ? "index.html" : path.substring(1);
        if (!name.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.([a-z]+)")) {
            return Optional.empty();
        }
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        if (type == null) {
            return Optional.empty();
        }
        return CACHE.computeIfAbsent(name, n -> load(n, type));
    }

    private static Optional<Asset> load(String name, String type) {
        try (InputStream in = WebAssets.class.getResourceAsStream(ROOT + "/" + name)) {
            return in == null ? Optional.empty() : Optional.of(new Asset(type, in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.pasarela.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A throw-away etc/ and sip-profiles/ pair under a JUnit temp dir. */
final class ConfigFixture {
    final Path etc;
    final Path profiles;

    ConfigFixture(Path root) {
        this.etc = root.resolve("etc");
        this.profiles = root.resolve("sip-profiles");
    }

    String gatewayFile() {
        return etc.resolve("pasarela.properties").toString();
    }

    String profileFile(String name) {
        return profiles.resolve(name + ".properties").toString();
    }

    ConfigFixture gateway(String... lines) {
        write(etc.resolve("pasarela.properties"), lines);
        return this;
    }

    ConfigFixture profile(String name, String... lines) {
        write(profiles.resolve(name + ".properties"), lines);
        return this;
    }

    /** Loads with {@code --set} overrides given as {@code key=value}. */
    LoadedConfig load(String... overrides) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String o : overrides) {
            int eq = o.indexOf('=');
            map.put(o.substring(0, eq), o.substring(eq + 1));
        }
        return ConfigLoader.load(etc, profiles, map);
    }

    static void write(Path file, String... lines) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

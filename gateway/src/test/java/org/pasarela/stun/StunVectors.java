package org.pasarela.stun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads vectors/stun/*.hex: hex bytes with '#' comments, and '# key: value' header lines. */
record StunVectors(String name, byte[] bytes, Map<String, String> notes) {
    static final Path DIR = Path.of("src/test/resources/vectors/stun");

    static StunVectors read(String name) {
        try {
            StringBuilder hex = new StringBuilder();
            Map<String, String> notes = new LinkedHashMap<>();
            for (String line : Files.readAllLines(DIR.resolve(name))) {
                int hash = line.indexOf('#');
                if (hash == 0) {
                    String comment = line.substring(1).trim();
                    int colon = comment.indexOf(": ");
                    if (colon > 0 && !comment.substring(0, colon).contains(" ")) {
                        notes.put(comment.substring(0, colon), comment.substring(colon + 2));
                    }
                }
                hex.append((hash >= 0 ? line.substring(0, hash) : line).replaceAll("\\s", ""));
            }
            return new StunVectors(name, HexFormat.of().parseHex(hex), notes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<StunVectors> all() {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".hex")).sorted()
                    .map(StunVectors::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
    }

    @Override
    public String toString() {
        return name;
    }
}

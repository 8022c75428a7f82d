package org.pasarela.srtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/** Reads a {@code vectors/srtp/*.txt} file: {@code name: hex} lines, {@code #} comments. */
final class Vectors {
    private final String file;
    private final Map<String, byte[]> values;

    private Vectors(String file, Map<String, byte[]> values) {
        this.file = file;
        this.values = values;
    }

    static Vectors load(String file) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/srtp/" + file)) {
            if (in == null) throw new IllegalArgumentException("vectors/srtp/" + file + ": not on the test class path");
            Map<String, byte[]> values = new HashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) continue;
                int colon = text.indexOf(':');
                if (colon < 0) throw new IllegalArgumentException(file + ": '" + text + "': expected name: hex");
                values.put(text.substring(0, colon).strip(), hex(text.substring(colon + 1)));
            }
            return new Vectors(file, values);
        } catch (IOException e) {
            throw new UncheckedIOException(file, e);
        }
    }

    byte[] get(String name) {
        byte[] value = values.get(name);
        if (value == null) throw new IllegalArgumentException(file + ": no '" + name + "'");
        return value.clone();
    }

    int getInt(String name) {
        byte[] b = get(name);
        int v = 0;
        for (byte x : b) v = v << 8 | (x & 0xff);
        return v;
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s", ""));
    }
}

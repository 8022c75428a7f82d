package org.pasarela.app;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The gateway's parsed command line: where the configuration and the SIP profiles live, the {@code --set}
 * overrides in the order given (a key given twice keeps its first position and its last value), and whether
 * {@code --help} was asked for. Immutable.
 */
public record CommandLine(Path configDir, Path profilesDir, Map<String, String> overrides, boolean help) {
    public static final Path DEFAULT_CONFIG_DIR = Path.of("./etc");
    public static final Path DEFAULT_PROFILES_DIR = Path.of("./sip-profiles");

    public CommandLine {
        Objects.requireNonNull(configDir, "configDir");
        Objects.requireNonNull(profilesDir, "profilesDir");
        overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }

    /**
     * Parses {@code --config DIR}, {@code --profiles DIR}, repeated {@code --set key=value} and {@code --help}
     * ({@code -h}); each option with a value also accepts the {@code --option=value} form.
     */
    public static CommandLine parse(String... args) throws CommandLineException {
        Path configDir = null;
        Path profilesDir = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = Objects.requireNonNullElse(args[i], "");
            String option = arg;
            String inlineValue = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                option = arg.substring(0, eq);
                inlineValue = arg.substring(eq + 1);
            }
            switch (option) {
                case "--help", "-h" -> {
                    if (inlineValue != null) {
                        throw new CommandLineException(option + " takes no value, got \"" + arg + "\"");
                    }
                    help = true;
                }
                case "--config" -> {
                    if (configDir != null) {
                        throw new CommandLineException("--config given twice");
                    }
                    String value = inlineValue != null ? inlineValue : next(args, i++, option, "a directory");
                    configDir = directory(option, value);
                }
                case "--profiles" -> {
                    if (profilesDir != null) {
                        throw new CommandLineException("--profiles given twice");
                    }
                    String value = inlineValue != null ? inlineValue : next(args, i++, option, "a directory");
                    profilesDir = directory(option, value);
                }
                case "--set" -> {
                    String pair = inlineValue != null ? inlineValue : next(args, i++, option, "key=value");
                    int sep = pair.indexOf('=');
                    if (sep <= 0 || pair.substring(0, sep).isBlank()) {
                        throw new CommandLineException("--set expects key=value, got \"" + pair + "\"");
                    }
                    overrides.put(pair.substring(0, sep).strip(), pair.substring(sep + 1));
                }
                default -> throw new CommandLineException("unknown argument \"" + arg + "\"");
            }
        }
        return new CommandLine(configDir != null ? configDir : DEFAULT_CONFIG_DIR,
                profilesDir != null ? profilesDir : DEFAULT_PROFILES_DIR, overrides, help);
    }

    /** The text printed for {@code --help} and after a command-line error. */
    public static String usage() {
        return """
                Usage: java -jar pasarela.jar [--config DIR] [--profiles DIR] [--set key=value]... [--help]
                       java -jar pasarela.jar hash-password [--user NAME] [--cost N]

                  --config DIR       directory holding pasarela.properties (default ./etc); a missing
                                     file means every key keeps its built-in default
                  --profiles DIR     directory of SIP profiles, one NAME.properties each
                                     (default ./sip-profiles)
                  --set key=value    override one configuration key; repeatable, and wins over the files.
                                     Gateway keys as in etc/pasarela.properties (--set http.port=9090);
                                     profile keys as profile.NAME.KEY (--set profile.echo.codecs=PCMA),
                                     which can define a new profile: --set profile.lab.proxy=sip:127.0.0.1:5070
                  --help, -h         print this text and exit
                  hash-password      read a password (no echo on a terminal, else the first line of stdin)
                                     and print its bcrypt hash for users.NAME.password-hash; --user NAME
                                     prints the whole line; --cost N (4-31) sets the work factor

                Every key is documented next to its default in etc/pasarela.properties; profile keys in the
                samples under sip-profiles/. See docs/configuration.md.
                """;
    }

    private static String next(String[] args, int i, String option, String what) {
        if (i + 1 >= args.length || args[i + 1] == null) {
            throw new CommandLineException(option + " expects " + what + ", but nothing follows it");
        }
        String value = args[i + 1];
        if (value.startsWith("--")) {
            throw new CommandLineException(option + " expects " + what + ", got \"" + value + "\"");
        }
        return value;
    }

    private static Path directory(String option, String value) {
        if (value.isBlank()) {
            throw new CommandLineException(option + " expects a directory, got \"" + value + "\"");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new CommandLineException(option + " expects a directory, got \"" + value + "\" (" + e.getReason()
                    + ")");
        }
    }
}

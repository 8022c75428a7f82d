package org.pasarela.app;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.pasarela.hashing.Bcrypt;

/**
 * {@code java -jar pasarela.jar hash-password [--user NAME] [--cost N]}: reads a password (from the terminal
 * without echo, asked twice, or else the first line of standard input) and prints the bcrypt hash, or with
 * {@code --user} the whole {@code users.NAME.password-hash = ...} line to paste into etc/pasarela.properties.
 * Exit codes: 0 printed, 2 bad arguments or password.
 */
final class HashPasswordCommand {
    static final String NAME = "hash-password";

    private HashPasswordCommand() {}

    static String usage() {
        return """
                Usage: java -jar pasarela.jar hash-password [--user NAME] [--cost N]

                  Reads a password (typed twice without echo on a terminal, else the first line of standard
                  input) and prints its bcrypt hash for users.NAME.password-hash in etc/pasarela.properties.
                  --user NAME   print the whole line: users.NAME.password-hash = $2y$...
                  --cost N      bcrypt cost 4-31 (default %d; each step doubles the work)
                  Example: printf '%%s\\n' 'correct horse' | java -jar pasarela.jar hash-password --user alice
                """.formatted(Bcrypt.DEFAULT_COST);
    }

    /** Runs the command; {@code console} is empty when standard input is not a terminal. */
    static int run(String[] args, Optional<Console> console, InputStream in, PrintStream out, PrintStream err,
                   SecureRandom random) {
        String user = null;
        int cost = Bcrypt.DEFAULT_COST;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i] == null ? "" : args[i];
            switch (arg) {
                case "--user" -> {
                    if (i + 1 >= args.length || !java.util.regex.Pattern.matches("[A-Za-z0-9._-]{1,64}", args[i + 1])) {
                        return fail(err, "--user expects a user name of 1-64 characters A-Z a-z 0-9 . _ -");
                    }
                    user = args[++i];
                }
                case "--cost" -> {
                    if (i + 1 >= args.length || !args[i + 1].matches("\\d{1,2}")
                            || Integer.parseInt(args[i + 1]) < Bcrypt.MIN_COST
                            || Integer.parseInt(args[i + 1]) > Bcrypt.MAX_COST) {
                        return fail(err, "--cost expects a number " + Bcrypt.MIN_COST + "-" + Bcrypt.MAX_COST);
                    }
                    cost = Integer.parseInt(args[++i]);
                }
                case "--help", "-h" -> {
                    out.print(usage());
                    return 0;
                }
                default -> {
                    return fail(err, "unknown argument \"" + arg + "\"");
                }
            }
        }
        String password;
        try {
            password = console.isPresent() ? fromTerminal(console.get()) : firstLine(in);
        } catch (IllegalArgumentException | IOException e) {
            return fail(err, e.getMessage());
        }
        String hash;
        try {
            hash = Bcrypt.hash(password, cost, random);
        } catch (IllegalArgumentException e) {
            return fail(err, e.getMessage());
        }
        out.println(user == null ? hash : "users." + user + ".password-hash = " + hash);
        return 0;
    }

    private static String fromTerminal(Console console) {
        char[] first = console.readPassword("Password: ");
        char[] second = console.readPassword("Repeat password: ");
        try {
            if (first == null || second == null) {
                throw new IllegalArgumentException("no password given");
            }
            if (!Arrays.equals(first, second)) {
                throw new IllegalArgumentException("the passwords differ");
            }
            return new String(first);
        } finally {
            if (first != null) Arrays.fill(first, '\0');
            if (second != null) Arrays.fill(second, '\0');
        }
    }

    private static String firstLine(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line = reader.readLine();
        if (line == null || line.isEmpty()) {
            throw new IllegalArgumentException("no password on standard input");
        }
        if (line.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            // Browsers' login messages cannot carry control characters either, so such a password could never log in.
            throw new IllegalArgumentException("the password contains control characters");
        }
        return line;
    }

    private static int fail(PrintStream err, String message) {
        err.println("pasarela hash-password: " + message);
        err.print(usage());
        return 2;
    }

}

package org.pasarela.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pasarela.hashing.Bcrypt;

class HashPasswordCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String stdin, String... args) {
        return HashPasswordCommand.run(args, Optional.empty(),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new SecureRandom());
    }

    @Test
    void printsTheLineToPasteForAUser() {
        assertThat(run("correct horse\nignored\n", "--user", "alice", "--cost", "4")).isZero();
        String line = out.toString(StandardCharsets.UTF_8).strip();
        assertThat(line).matches("users\\.alice\\.password-hash = \\$2y\\$04\\$[./A-Za-z0-9]{53}");
        String hash = line.substring(line.indexOf("$2y$"));
        assertThat(Bcrypt.verifier(hash).matches("correct horse")).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("correct horse");
    }

    @Test
    void printsOnlyTheHashWithoutUserAndAcceptsWindowsLineEnds() {
        assertThat(run("pw\r\n", "--cost", "4")).isZero();
        String hash = out.toString(StandardCharsets.UTF_8).strip();
        assertThat(Bcrypt.verifier(hash).matches("pw")).isTrue();
    }

    @Test
    void refusesEmptyInputAndBadArguments() {
        assertThat(run("")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("pasarela hash-password: no password on standard input");
        assertThat(run("pw\n", "--cost", "3")).isEqualTo(2);
        assertThat(run("pw\n", "--user", "al/ice")).isEqualTo(2);
        assertThat(run("pw\n", "--bogus")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown argument \"--bogus\"");
        assertThat(out.size()).isZero();
    }

    @Test
    void mainUsageMentionsTheSubcommand() {
        assertThat(CommandLine.usage()).contains("hash-password");
    }
}

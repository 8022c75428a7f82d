package org.pasarela.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DigestVectorsTest {

    static Stream<Path> vectors() throws IOException, URISyntaxException {
        Path dir = Path.of(DigestVectorsTest.class.getResource("/vectors/sip/digest").toURI());
        return Files.list(dir).filter(p -> p.toString().endsWith(".properties")).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void answersChallengeExactlyAsTheVectorSays(Path file) throws IOException {
        Properties v = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            v.load(r);
        }
        DigestChallenge challenge = DigestChallenge.parse(v.getProperty("challenge"));
        int nc = Integer.parseInt(v.getProperty("nc"));
        String cnonce = v.getProperty("cnonce");
        String nonceCount = String.format("%08x", nc);

        assertThat(DigestAuthenticator.response(challenge, v.getProperty("method"), v.getProperty("uri"),
                v.getProperty("username"), v.getProperty("password"), cnonce, nonceCount))
                .isEqualTo(v.getProperty("response"));
        assertThat(DigestAuthenticator.authorization(challenge, v.getProperty("method"), v.getProperty("uri"),
                v.getProperty("username"), v.getProperty("password"), cnonce, nc))
                .isEqualTo(v.getProperty("authorization"));
    }
}

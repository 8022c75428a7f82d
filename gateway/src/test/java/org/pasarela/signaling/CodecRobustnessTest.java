package org.pasarela.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The codec's contract for hostile input, as a seeded property test (pion's FuzzUnmarshal idea): whatever the
 * text, decode returns a record or throws {@link ProtocolException} with code 400 or 413, and whatever it accepts
 * survives encode -> decode unchanged. A failing iteration prints its seed and input; commit that input under
 * vectors/jsep/invalid/.
 */
class CodecRobustnessTest {
    private static final long SEED = 0x5061_7361_726c_61L;
    private static final int ITERATIONS = 20_000;
    private static final String[] TOKENS = {
        "{", "}", "[", "]", "\"", ":", ",", "\\", "\\u", "\\ud800", "\\u0000", "null", "true", "false", "0", "-0",
        "1e999999", "-1", "2147483648", "NaN", "Infinity", "1.5", "\"\"", "{}", "[]", "\"type\"", "\"call\"",
        "\"candidate\"", "\"id\"", "\"jsep\"", "\"offer\"", "\"answer\"", "\r\n", "\t", " ", "\u0001", "é", "😀",
        "\"candidate:\"", "\"#\"", "{\"a\":", "[[[[[[[[[[[[[[[[[[", "]]]]]]]]",
    };

    private final SignalingCodec codec = new SignalingCodec();

    @Test
    void decodeThrowsOnlyProtocolExceptionAndAcceptedMessagesRoundTrip() {
        List<String> seeds = seeds();
        Random random = new Random(SEED);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            String input = mutate(seeds, random);
            boolean clientOk = decodeClient(input, i);
            boolean serverOk = decodeServer(input, i);
            if (clientOk || serverOk) accepted++;
            else refused++;
        }
        // The loop is only worth running if mutations land on both sides of the line.
        assertThat(accepted).as("accepted inputs").isGreaterThan(ITERATIONS / 50);
        assertThat(refused).as("refused inputs").isGreaterThan(ITERATIONS / 2);
    }

    @Test
    void randomBytesAsTextAreRefusedWithProtocolException() {
        Random random = new Random(SEED + 1);
        for (int i = 0; i < 2_000; i++) {
            char[] chars = new char[random.nextInt(64)];
            for (int c = 0; c < chars.length; c++) chars[c] = (char) random.nextInt(0x10000);
            String input = new String(chars);
            decodeClient(input, i);
            decodeServer(input, i);
        }
    }

    private boolean decodeClient(String input, int iteration) {
        try {
            ClientMessage message = codec.decode(input);
            assertThat(codec.decode(codec.encode(message))).as("client round trip of %s", input).isEqualTo(message);
            return true;
        } catch (ProtocolException e) {
            checkRefusal(e, input);
            return false;
        } catch (Throwable t) {
            return fail("iteration " + iteration + " (seed " + SEED + "): decode threw " + t + " for " + input, t);
        }
    }

    private boolean decodeServer(String input, int iteration) {
        try {
            ServerMessage message = codec.decodeServer(input);
            assertThat(codec.decodeServer(codec.encode(message))).as("server round trip of %s", input)
                    .isEqualTo(message);
            return true;
        } catch (ProtocolException e) {
            checkRefusal(e, input);
            return false;
        } catch (Throwable t) {
            return fail("iteration " + iteration + " (seed " + SEED + "): decodeServer threw " + t + " for " + input, t);
        }
    }

    private void checkRefusal(ProtocolException e, String input) {
        assertThat(e.code()).as("code for %s", input).isIn(400, 413);
        assertThat(e.getMessage()).as("message for %s", input).isNotBlank();
        // The refusal must itself be sendable: the gateway turns it into an error message.
        assertThat(codec.encode(e.toErrorMessage())).contains("\"type\":\"error\"");
    }

    private static List<String> seeds() {
        List<String> seeds = new ArrayList<>();
        Stream.of("client", "server").forEach(folder -> JsepVectorTest.files(folder, ".json")
                .map(JsepVectorTest::read).forEach(seeds::add));
        JsepVectorTest.files("invalid", ".json").map(JsepVectorTest::read).forEach(seeds::add);
        seeds.add("{\"type\":\"login\",\"id\":\"1\",\"user\":\"alice\",\"password\":\"secret\"}");
        seeds.add("{\"type\":\"dtmf\",\"id\":\"6\",\"call\":\"c1\",\"digits\":\"1#\",\"durationMs\":100}");
        seeds.add("{\"type\":\"error\",\"id\":\"2\",\"call\":\"c1\",\"code\":404,\"reason\":\"unknown call\"}");
        seeds.add("{\"type\":\"hangup\",\"call\":\"c1\",\"code\":486,\"reason\":\"Busy Here\"}");
        seeds.add("garbage");
        seeds.add("");
        return seeds;
    }

    private static String mutate(List<String> seeds, Random random) {
        String text = seeds.get(random.nextInt(seeds.size()));
        int rounds = 1 + random.nextInt(4);
        for (int r = 0; r < rounds; r++) text = mutateOnce(text, seeds, random);
        return text;
    }

    private static String mutateOnce(String text, List<String> seeds, Random random) {
        int at = text.isEmpty() ? 0 : random.nextInt(text.length() + 1);
        switch (random.nextInt(8)) {
            case 0: // replace one character with a JSON-significant token
                if (at < text.length()) return text.substring(0, at) + token(random) + text.substring(at + 1);
                return text + token(random);
            case 1: // insert a token
                return text.substring(0, at) + token(random) + text.substring(at);
            case 2: { // delete a range
                int end = Math.min(text.length(), at + random.nextInt(16));
                return text.substring(0, at) + text.substring(end);
            }
            case 3: // truncate
                return text.substring(0, at);
            case 4: { // duplicate a slice (makes duplicate keys and doubled values)
                int end = Math.min(text.length(), at + random.nextInt(40));
                return text.substring(0, end) + text.substring(at, end) + text.substring(end);
            }
            case 5: // splice in another seed
                return text.substring(0, at) + seeds.get(random.nextInt(seeds.size())) + text.substring(at);
            case 6: { // replace a quoted value with a token, keeping the structure around it
                int quote = text.indexOf(":\"", at);
                if (quote < 0) return text + token(random);
                int close = text.indexOf('"', quote + 2);
                if (close < 0) return text;
                return text.substring(0, quote + 1) + token(random) + text.substring(close + 1);
            }
            default: // flip a character to an arbitrary code unit
                if (at >= text.length()) return text;
                return text.substring(0, at) + (char) random.nextInt(0x10000) + text.substring(at + 1);
        }
    }

    private static String token(Random random) {
        return TOKENS[random.nextInt(TOKENS.length)];
    }
}

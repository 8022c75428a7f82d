package org.pasarela.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * pion's FuzzUnmarshal idea as a seeded loop: mutate the vectors and check that parsing either fails with
 * {@link SdpException} or yields a description that survives write -> parse unchanged. A failing seed and
 * iteration are printed, so the input can be committed as a vector.
 */
class SdpRobustnessTest {
    private static final long SEED = 0x5DB_2024L;
    private static final int ITERATIONS = 20_000;
    private static final String GARBAGE = "v=0\r\n:/ aomcbtxz0123456789-\u0000\t\u00e9\uffff\ud800";

    @Test
    void mutatedVectorsEitherParseStablyOrFailWithSdpException() {
        List<String> seeds = SdpVectors.names().map(SdpVectors::read).toList();
        Random random = new Random(SEED);
        int parsed = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            String input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            SessionDescription sdp;
            try {
                sdp = SdpParser.parse(input);
            } catch (SdpException expected) {
                assertThat(expected.getMessage()).isNotBlank();
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError("iteration " + i + " threw " + e + " for input:\n" + input, e);
            }
            parsed++;
            sdp.media().forEach(MediaDescription::rtpmaps);
            String written = SdpWriter.write(sdp);
            try {
                if (!SdpParser.parse(written).equals(sdp)) fail("iteration " + i + " not stable for input:\n" + input);
            } catch (SdpException e) {
                fail("iteration " + i + ": written SDP does not parse (" + e.getMessage() + ") for input:\n" + input);
            }
        }
        // The mutations must leave enough inputs parseable for the stability half to mean something.
        assertThat(parsed).isGreaterThan(ITERATIONS / 10);
    }

    private static String mutate(String seed, Random random) {
        String s = seed;
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            s = switch (random.nextInt(7)) {
                case 0 -> s.substring(0, random.nextInt(s.length() + 1));
                case 1 -> flipChar(s, random);
                case 2 -> duplicateLine(s, random);
                case 3 -> insertGarbage(s, random);
                case 4 -> dropLine(s, random);
                case 5 -> swapLines(s, random);
                default -> replaceDigitsRun(s, random);
            };
        }
        return s;
    }

    private static String flipChar(String s, Random random) {
        if (s.isEmpty()) return s;
        char[] chars = s.toCharArray();
        int i = random.nextInt(chars.length);
        chars[i] = (char) (chars[i] ^ (1 << random.nextInt(8)));
        return new String(chars);
    }

    private static String insertGarbage(String s, Random random) {
        int at = random.nextInt(s.length() + 1);
        StringBuilder g = new StringBuilder();
        int n = 1 + random.nextInt(12);
        for (int i = 0; i < n; i++) g.append(GARBAGE.charAt(random.nextInt(GARBAGE.length())));
        return s.substring(0, at) + g + s.substring(at);
    }

    private static String duplicateLine(String s, Random random) {
        List<String> lines = lines(s);
        if (lines.isEmpty()) return s;
        int i = random.nextInt(lines.size());
        lines.add(random.nextInt(lines.size() + 1), lines.get(i));
        return String.join("\r\n", lines);
    }

    private static String dropLine(String s, Random random) {
        List<String> lines = lines(s);
        if (lines.isEmpty()) return s;
        lines.remove(random.nextInt(lines.size()));
        return String.join("\r\n", lines);
    }

    private static String swapLines(String s, Random random) {
        List<String> lines = lines(s);
        if (lines.size() < 2) return s;
        int a = random.nextInt(lines.size());
        int b = random.nextInt(lines.size());
        String t = lines.get(a);
        lines.set(a, lines.get(b));
        lines.set(b, t);
        return String.join("\n", lines);
    }

    private static String replaceDigitsRun(String s, Random random) {
        String[] replacements = {"0", "65536", "99999999999999999999", "-1", "128", "", "abc", "1/0", "127"};
        int start = random.nextInt(s.length() + 1);
        while (start < s.length() && !Character.isDigit(s.charAt(start))) start++;
        int end = start;
        while (end < s.length() && Character.isDigit(s.charAt(end))) end++;
        return s.substring(0, start) + replacements[random.nextInt(replacements.length)] + s.substring(end);
    }

    private static List<String> lines(String s) {
        return new ArrayList<>(Arrays.asList(s.split("\r\n|\n", -1)));
    }
}

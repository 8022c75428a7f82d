package org.pasarela.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md is the protocol's reference for client authors; this keeps it true. Every message example in
 * a fenced block must decode (client examples marked {@code →}, gateway examples marked {@code ←}, unmarked ones
 * either way), every message type must be shown, and every {@code error} in an exchange must be the error the
 * codec really produces for the request with the same id.
 */
class SignalingDocTest {
    private static final Pattern TYPE_MENTION = Pattern.compile("\"type\":\"([^\"]*)\"");
    private static final Set<String> JSEP_TYPES = Set.of("offer", "answer", "pranswer");

    private static List<String> lines;
    private final SignalingCodec codec = new SignalingCodec();

    @BeforeAll
    static void readDoc() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/protocol.md"))) dir = dir.getParent();
        assertThat(dir).as("docs/protocol.md above %s", Path.of("").toAbsolutePath()).isNotNull();
        lines = Files.readAllLines(dir.resolve("docs/protocol.md"));
    }

    @Test
    void everyExampleMessageDecodesAndEveryTypeIsShown() {
        Set<String> shownClient = new HashSet<>();
        Set<String> shownServer = new HashSet<>();
        Map<String, String> requestsById = new HashMap<>();
        int examples = 0;
        boolean inBlock = false;
        for (String line : lines) {
            if (line.startsWith("```")) {
                inBlock = !inBlock;
                requestsById.clear();
                continue;
            }
            if (!inBlock) continue;
            String text = line.replaceFirst("^[→←] ", "");
            if (!text.startsWith("{\"type\":\"")) continue;
            examples++;
            if (line.startsWith("→ ")) {
                requestsById.put(idOf(text), text);
                decodeClientOrExpectedRefusal(text, shownClient);
            } else if (line.startsWith("← ")) {
                ServerMessage message = codec.decodeServer(text);
                shownServer.add(message.type());
                if (message instanceof ErrorMessage error && error.id() != null) {
                    checkDocumentedError(error, requestsById.get(error.id()));
                }
            } else {
                decodeEitherWay(text, shownClient, shownServer);
            }
        }
        assertThat(inBlock).as("fenced blocks are closed").isFalse();
        assertThat(examples).isGreaterThan(20);
        assertThat(shownClient).containsAll(SignalingCodec.clientTypes());
        assertThat(shownServer).containsAll(SignalingCodec.serverTypes());
    }

    @Test
    void everyTypeMentionedIsAMessageOrJsepType() {
        Set<String> known = new HashSet<>(JSEP_TYPES);
        known.addAll(SignalingCodec.clientTypes());
        known.addAll(SignalingCodec.serverTypes());
        for (String line : lines) {
            Matcher m = TYPE_MENTION.matcher(line);
            while (m.find()) assertThat(known).as("type in: %s", line).contains(m.group(1));
        }
    }

    @Test
    void showsTheProfilesOfTheLoginAck() {
        String example = lines.stream().filter(l -> l.startsWith("{\"type\":\"ack\",\"id\":\"1\",\"profiles\""))
                .findFirst().orElseThrow(() -> new AssertionError("no login ack example with profiles"));
        assertThat(codec.decodeServer(example)).isEqualTo(new Ack("1", null, List.of("echo", "trunk"), "echo"));
    }

    @Test
    void documentsEveryErrorCode() {
        String doc = String.join("\n", lines);
        for (int code : new int[] {200, 400, 401, 403, 404, 408, 409, 413, 429, 487, 488, 500, 503}) {
            assertThat(doc).as("codes table row for %d", code).contains("| " + code + " |");
        }
    }

    @Test
    void statesTheLimitsTheCodecEnforces() {
        String doc = String.join("\n", lines);
        assertThat(doc).contains("256 KiB").contains(SignalingCodec.MAX_MESSAGE_BYTES / 1000 + ",144")
                .contains(SignalingCodec.MAX_NESTING_DEPTH + " levels").contains("Unknown fields are ignored");
    }

    private void decodeClientOrExpectedRefusal(String text, Set<String> shown) {
        try {
            shown.add(codec.decode(text).type());
        } catch (ProtocolException refused) {
            // A request shown being refused must be answered in the same block; checkDocumentedError verifies it.
            assertThat(idOf(text)).as("refused example without id: %s", text).isNotNull();
        }
    }

    private void checkDocumentedError(ErrorMessage error, String request) {
        assertThat(request).as("request with id %s before its error", error.id()).isNotNull();
        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> codec.decode(request));
        if (e == null) return;  // a state error (401, 404, 409 ...) that the codec cannot judge
        assertThat(e.toErrorMessage()).isEqualTo(error);
    }

    private void decodeEitherWay(String text, Set<String> shownClient, Set<String> shownServer) {
        boolean decoded = false;
        try {
            shownClient.add(codec.decode(text).type());
            decoded = true;
        } catch (ProtocolException notAClientMessage) {
            // try the other direction
        }
        try {
            shownServer.add(codec.decodeServer(text).type());
            decoded = true;
        } catch (ProtocolException notAServerMessage) {
            // checked below
        }
        assertThat(decoded).as("example decodes in some direction: %s", text).isTrue();
    }

    private static String idOf(String text) {
        Matcher m = Pattern.compile("^\\{\"type\":\"[^\"]*\",\"id\":\"([^\"]*)\"").matcher(text);
        return m.find() ? m.group(1) : null;
    }
}

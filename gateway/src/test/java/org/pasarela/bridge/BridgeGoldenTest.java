package org.pasarela.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pasarela.bridge.BridgeFixtures.LOCAL;
import static org.pasarela.bridge.BridgeFixtures.codecs;
import static org.pasarela.bridge.BridgeFixtures.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pasarela.sdp.Attribute;
import org.pasarela.sdp.MediaDescription;
import org.pasarela.sdp.SdpParser;
import org.pasarela.sdp.SdpWriter;
import org.pasarela.sdp.SessionDescription;

/**
 * rtpengine-style golden rewrites over {@code vectors/bridge/<case>/}; see the README there. Adding a case needs no
 * Java. Run with {@code -Dpasarela.regenerate=true} to (re)write the expected files into src/test/resources, then
 * review the diff line by line before committing it.
 */
class BridgeGoldenTest {
    private static final boolean REGENERATE = Boolean.getBoolean("pasarela.regenerate");

    static Stream<String> cases() {
        try (Stream<Path> dirs = Files.list(BridgeFixtures.resource("vectors/bridge"))) {
            List<String> names = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
            if (names.isEmpty()) throw new IllegalStateException("no bridge cases");
            return names.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<String> answerCases() {
        return cases().filter(c -> Files.exists(dir(c).resolve("sip-answer.sdp")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void translatesBrowserOfferToSipOffer(String name) {
        Path dir = dir(name);
        SessionDescription browserOffer = SdpParser.parse(read(dir.resolve("input.sdp")));
        if (Files.exists(dir.resolve("expected-error.txt"))) {
            assertThatThrownBy(() -> WebRtcToSip.translate(browserOffer, codecs(dir), LOCAL))
                    .isInstanceOf(BridgeException.class)
                    .hasMessage(read(dir.resolve("expected-error.txt")).strip());
            return;
        }
        String sipOffer = SdpWriter.write(WebRtcToSip.translate(browserOffer, codecs(dir), LOCAL).sipOffer());
        check(name, "expected.sdp", sipOffer);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answerCases")
    void answersBrowserFromSipAnswer(String name) {
        Path dir = dir(name);
        SessionDescription browserOffer = SdpParser.parse(read(dir.resolve("input.sdp")));
        BridgedOffer offer = WebRtcToSip.translate(browserOffer, codecs(dir), LOCAL);
        SessionDescription sipAnswer = SdpParser.parse(read(dir.resolve("sip-answer.sdp")));
        if (Files.exists(dir.resolve("expected-answer-error.txt"))) {
            assertThatThrownBy(() -> SipToWebRtc.answer(browserOffer, offer, sipAnswer, LOCAL))
                    .isInstanceOf(BridgeException.class)
                    .hasMessage(read(dir.resolve("expected-answer-error.txt")).strip());
            return;
        }
        BridgedAnswer answer = SipToWebRtc.answer(browserOffer, offer, sipAnswer, LOCAL);
        check(name, "expected-answer.sdp", SdpWriter.write(answer.webrtcAnswer()));
        check(name, "expected-media.txt", describe(answer));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void goldenAnswerParsesBackWithOneMLinePerOfferedMLineAndMatchingMids(String name) {
        Path dir = dir(name);
        if (!Files.exists(dir.resolve("expected-answer.sdp"))) return;
        SessionDescription offer = SdpParser.parse(read(dir.resolve("input.sdp")));
        SessionDescription answer = SdpParser.parse(read(dir.resolve("expected-answer.sdp")));

        assertThat(answer.media()).hasSameSizeAs(offer.media());
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription o = offer.media().get(i);
            MediaDescription a = answer.media().get(i);
            assertThat(a.media()).isEqualTo(o.media());
            assertThat(a.proto()).isEqualTo(o.proto());
            assertThat(a.attributeValue("mid")).isEqualTo(o.attributeValue("mid"));
            assertThat(o.formats()).containsAll(a.formats());
        }
        assertThat(answer.media()).filteredOn(m -> m.port() != 0).hasSize(1);
        assertThat(answer.attribute("ice-lite")).contains(Attribute.property("ice-lite"));
    }

    /** What the media relay gets, one fact per line, so a golden diff shows exactly which fact changed. */
    private static String describe(BridgedAnswer answer) {
        SipRemoteMedia m = answer.sipMedia();
        BridgedCodec c = answer.codec();
        Optional<BridgedCodec> te = answer.telephoneEvent();
        return "sip rtp " + m.address() + ":" + m.rtpPort() + "\n"
                + "sip rtcp " + m.address() + ":" + m.rtcpPort() + (m.rtcpMux() ? " (rtcp-mux)" : "") + "\n"
                + "codec " + c.encoding() + "/" + c.clockRate() + " browser-pt " + c.browserPayloadType() + " sip-pt "
                + c.sipPayloadType() + "\n"
                + te.map(t -> "telephone-event/" + t.clockRate() + " browser-pt " + t.browserPayloadType()
                        + " sip-pt " + t.sipPayloadType()).orElse("telephone-event none") + "\n";
    }

    private static Path dir(String name) {
        return BridgeFixtures.resource("vectors/bridge/" + name);
    }

    private static void check(String name, String file, String actual) {
        if (REGENERATE) {
            Path source = Path.of("src/test/resources/vectors/bridge", name, file);
            try {
                Files.writeString(source, actual, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        Path expected = dir(name).resolve(file);
        assertThat(expected).as("golden file %s/%s (generate with -Dpasarela.regenerate=true)", name, file).exists();
        assertThat(actual).isEqualTo(read(expected));
    }
}

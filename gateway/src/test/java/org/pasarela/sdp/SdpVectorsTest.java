package org.pasarela.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SdpVectorsTest {

    static java.util.stream.Stream<String> vectors() {
        return SdpVectors.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void writtenVectorParsesBackToTheSameDescription(String name) {
        SessionDescription parsed = SdpParser.parse(SdpVectors.read(name));
        String written = SdpWriter.write(parsed);
        assertThat(SdpParser.parse(written)).isEqualTo(parsed);
        assertThat(SdpWriter.write(SdpParser.parse(written))).isEqualTo(written);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void wellOrderedCrlfVectorIsWrittenBackByteForByte(String name) {
        String text = SdpVectors.read(name);
        String written = SdpWriter.write(SdpParser.parse(text));
        if (!name.startsWith("edge/sloppy") && !name.equals("edge/rfc8866-repeat-zone-key-bandwidth.sdp")) {
            assertThat(written).isEqualTo(text);
        } else {
            assertThat(written).endsWith("\r\n").doesNotContain("\n\n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void everyRtpMediaSectionExplainsEveryStaticOrMappedPayloadType(String name) {
        SessionDescription sdp = SdpParser.parse(SdpVectors.read(name));
        for (MediaDescription m : sdp.media()) {
            if (!m.isRtp()) continue;
            assertThat(m.rtpmaps()).allSatisfy(r -> assertThat(m.formats()).contains(Integer.toString(r.payloadType())));
        }
    }
}

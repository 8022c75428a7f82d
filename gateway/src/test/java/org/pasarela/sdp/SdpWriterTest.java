package org.pasarela.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SdpWriterTest {

    @Test
    void writesLinesInRfc8866OrderWithCrlf() {
        String outOfOrder = "v=0\no=- 1 2 IN IP4 192.0.2.1\ns=x\nt=0 0\nk=prompt\nb=AS:64\nc=IN IP4 192.0.2.1\n"
                + "a=tool:x\ni=info\nm=audio 4000 RTP/AVP 0\na=sendrecv\nb=AS:64\nc=IN IP4 192.0.2.2\ni=media info\n";

        String written = SdpWriter.write(SdpParser.parse(outOfOrder));

        assertThat(written).isEqualTo("v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=x\r\ni=info\r\nc=IN IP4 192.0.2.1\r\n"
                + "b=AS:64\r\nt=0 0\r\nk=prompt\r\na=tool:x\r\nm=audio 4000 RTP/AVP 0\r\ni=media info\r\n"
                + "c=IN IP4 192.0.2.2\r\nb=AS:64\r\na=sendrecv\r\n");
    }

    @Test
    void writesUnknownLinesAndAttributesBackVerbatimInTheirOrder() {
        String sdp = "v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\ny=second unknown\r\nx=first? no, order kept\r\n"
                + "a=x-vendor:  two  spaces \"kept\"\r\na=msid-semantic: WMS *\r\n"
                + "m=audio 4000/2 RTP/AVP 0\r\nq=media unknown\r\na=x-b\r\na=x-a:1\r\n";

        SessionDescription parsed = SdpParser.parse(sdp);

        assertThat(parsed.otherLines()).containsExactly(new SdpLine('y', "second unknown"),
                new SdpLine('x', "first? no, order kept"));
        assertThat(SdpWriter.write(parsed)).isEqualTo(sdp);
    }

    @Test
    void writesARecordBuiltInCode() {
        MediaDescription audio = new MediaDescription("audio", 30000, OptionalInt.empty(), "RTP/AVP",
                List.of("0", "101"), Optional.empty(), List.of(), List.of(Attribute.of("rtpmap", "0 PCMU/8000"),
                Attribute.property("sendrecv")), List.of());
        SessionDescription sdp = SessionDescription.of(Origin.of(7, 8, "IP6", "2001:db8::1"),
                Optional.of(Connection.internet("2001:db8::1")), List.of(), List.of(audio));

        assertThat(SdpWriter.write(sdp)).isEqualTo("v=0\r\no=- 7 8 IN IP6 2001:db8::1\r\ns=-\r\n"
                + "c=IN IP6 2001:db8::1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
                + "a=sendrecv\r\n");
    }

    @Test
    void valuesCannotCarryALineBreakIntoTheOutput() {
        assertThatThrownBy(() -> Attribute.of("tool", "x\r\na=injected")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SdpLine('i', "a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Connection.internet("1.2.3.4 5")).isInstanceOf(IllegalArgumentException.class);
    }
}

package org.pasarela.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class EchoSdpTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static String offer(String... mediaAndAttributes) {
        return "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
                + String.join("\r\n", mediaAndAttributes) + "\r\n";
    }

    @Test
    void answersPcmuWithTelephoneEventAndRtcpPort() throws Exception {
        EchoSdp.Selection s = EchoSdp.select(offer("m=audio 4000 RTP/AVP 0 101",
                "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-15", "a=sendrecv"));
        assertThat(EchoSdp.answer(s, LOOPBACK, 20000, 42, 1)).isEqualTo(
                "v=0\r\no=pasarela-echo 42 1 IN IP4 127.0.0.1\r\ns=pasarela echo\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                        + "m=audio 20000 RTP/AVP 0 101\r\n"
                        + "a=rtpmap:0 PCMU/8000\r\n"
                        + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n"
                        + "a=rtcp:20001\r\na=sendrecv\r\n");
    }

    @Test
    void choosesTheFirstSupportedCodecInOfferOrder() throws Exception {
        EchoSdp.Selection s = EchoSdp.select(offer("m=audio 4000 RTP/AVP 18 8 0", "a=rtpmap:18 G729/8000"));
        assertThat(s.codec().payloadType()).isEqualTo(8);
        assertThat(s.codec().rtpmap()).isEqualTo("PCMA/8000");
        assertThat(s.telephoneEvent()).isEmpty();
    }

    @Test
    void keepsOpusFmtpAndPrefersTelephoneEventWithTheSameClockRate() throws Exception {
        EchoSdp.Selection s = EchoSdp.select(offer("m=audio 4000 RTP/AVPF 111 0 126 110",
                "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1",
                "a=rtpmap:126 telephone-event/8000", "a=rtpmap:110 telephone-event/48000"));
        String answer = EchoSdp.answer(s, LOOPBACK, 30000, 1, 1);
        assertThat(answer).contains("m=audio 30000 RTP/AVPF 111 110\r\n",
                "a=fmtp:111 minptime=10;useinbandfec=1\r\n", "a=rtpmap:110 telephone-event/48000\r\n");
    }

    @Test
    void rejectsOfferWithOnlyG729WithIncompatibleMediaFormatWarning() {
        assertThatThrownBy(() -> EchoSdp.select(offer("m=audio 4000 RTP/AVP 18", "a=rtpmap:18 G729/8000")))
                .isInstanceOfSatisfying(EchoSdpException.class, e -> assertThat(e.warningCode()).isEqualTo(305))
                .hasMessage("no supported codec (PCMU, PCMA, G722, opus) among G729/8000");
    }

    @Test
    void rejectsSrtpWithIncompatibleTransportWarning() {
        assertThatThrownBy(() -> EchoSdp.select(offer("m=audio 9 UDP/TLS/RTP/SAVPF 0")))
                .isInstanceOfSatisfying(EchoSdpException.class, e -> assertThat(e.warningCode()).isEqualTo(302))
                .hasMessageContaining("UDP/TLS/RTP/SAVPF");
    }

    @Test
    void rejectsOfferWithoutAudio() {
        assertThatThrownBy(() -> EchoSdp.select(offer("m=video 4000 RTP/AVP 96", "a=rtpmap:96 VP8/90000")))
                .isInstanceOfSatisfying(EchoSdpException.class, e -> assertThat(e.warningCode()).isEqualTo(304));
    }

    @Test
    void rejectsMalformedRtpmapNamingTheLine() {
        assertThatThrownBy(() -> EchoSdp.select(offer("m=audio 4000 RTP/AVP 0", "a=rtpmap:abc PCMU/8000")))
                .isInstanceOf(EchoSdpException.class)
                .hasMessage("a=rtpmap:abc PCMU/8000: payload type \"abc\" is not a number");
    }

    @Test
    void rejectsBodyThatIsNotSdp() {
        assertThatThrownBy(() -> EchoSdp.select("hello"))
                .isInstanceOf(EchoSdpException.class).hasMessage("body is not SDP (no v= line)");
    }

    @Test
    void rejectsOtherStreamsWithPortZeroInTheSameOrder() throws Exception {
        EchoSdp.Selection s = EchoSdp.select(offer("m=video 5000 RTP/AVP 96", "a=rtpmap:96 VP8/90000",
                "m=audio 4000 RTP/AVP 8", "a=sendonly"));
        String answer = EchoSdp.answer(s, LOOPBACK, 20000, 1, 1);
        assertThat(answer).contains("m=video 0 RTP/AVP 96\r\nm=audio 20000 RTP/AVP 8\r\n", "a=recvonly\r\n");
    }

    @Test
    void offerListsPcmuPcmaAndTelephoneEventAndAcceptsAPcmaAnswer() throws Exception {
        String offer = EchoSdp.offer(LOOPBACK, 20000, 7, 1);
        assertThat(offer).contains("m=audio 20000 RTP/AVP 0 8 101\r\n", "a=rtcp:20001\r\n");
        EchoSdp.checkAnswer(offer("m=audio 4000 RTP/AVP 8 101", "a=rtpmap:101 telephone-event/8000"));
        assertThatThrownBy(() -> EchoSdp.checkAnswer(offer("m=audio 4000 RTP/AVP 9")))
                .isInstanceOf(EchoSdpException.class).hasMessage("answer chose none of PCMU, PCMA");
    }
}

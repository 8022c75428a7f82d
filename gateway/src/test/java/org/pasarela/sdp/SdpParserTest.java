package org.pasarela.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SdpParserTest {
    private static final String MINIMAL = "v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n";

    @Test
    void readsEveryFieldOfAChromiumAudioOffer() {
        SessionDescription sdp = SdpParser.parse(SdpVectors.read("browser/chromium-audio-offer.sdp"));

        assertThat(sdp.origin()).isEqualTo(new Origin("-", "893814166857400510", "2", "IN", "IP4", "127.0.0.1"));
        assertThat(sdp.sessionName()).isEqualTo("-");
        assertThat(sdp.timings()).containsExactly(Timing.unbounded());
        assertThat(sdp.attributeValue("group")).contains("BUNDLE 0");
        assertThat(sdp.attributeValue("msid-semantic")).contains(" WMS cabdf7ce-418f-4bdc-9cc5-85c55b6a705c");
        assertThat(sdp.media()).hasSize(1);
        MediaDescription audio = sdp.media().get(0);
        assertThat(audio.media()).isEqualTo("audio");
        assertThat(audio.port()).isEqualTo(43214);
        assertThat(audio.proto()).isEqualTo("UDP/TLS/RTP/SAVPF");
        assertThat(audio.formats()).containsExactly("111", "63", "9", "0", "8", "13", "110", "126");
        assertThat(audio.connection()).contains(new Connection("IN", "IP4", "192.0.2.2"));
        assertThat(audio.attributeValue("mid")).contains("0");
        assertThat(audio.attributeValue("ice-ufrag")).contains("WqA+");
        assertThat(audio.attributes("candidate")).hasSize(4);
        assertThat(audio.direction()).contains(Direction.SENDRECV);
    }

    @Test
    void propertyAttributeHasNoValueAndValueAttributeSplitsAtTheFirstColon() {
        MediaDescription audio = SdpParser.parse(SdpVectors.read("browser/chromium-audio-offer.sdp")).media().get(0);

        assertThat(audio.attribute("rtcp-mux")).contains(Attribute.property("rtcp-mux"));
        assertThat(audio.attribute("rtpmap")).contains(Attribute.of("rtpmap", "111 opus/48000/2"));
        assertThat(audio.attributeValue("fingerprint")).hasValueSatisfying(v -> assertThat(v).startsWith("sha-256 C9:0C:"));
    }

    @Test
    void rtpmapsCoverMappedAndStaticPayloadTypesInFormatOrder() {
        MediaDescription audio = SdpParser.parse(SdpVectors.read("browser/chromium-audio-offer.sdp")).media().get(0);

        assertThat(audio.rtpmaps()).containsExactly(
                new RtpMap(111, "opus", 48000, 2), new RtpMap(63, "red", 48000, 2), new RtpMap(9, "G722", 8000, 1),
                new RtpMap(0, "PCMU", 8000, 1), new RtpMap(8, "PCMA", 8000, 1), new RtpMap(13, "CN", 8000, 1),
                new RtpMap(110, "telephone-event", 48000, 1), new RtpMap(126, "telephone-event", 8000, 1));
        assertThat(audio.fmtp(111)).contains("minptime=10;useinbandfec=1");
        assertThat(audio.fmtp(0)).isEmpty();
    }

    @Test
    void understandsStaticPayloadTypesThatHaveNoRtpmapLine() {
        MediaDescription audio = SdpParser.parse(SdpVectors.read("sip/linksys-spa3102-offer-static-pts.sdp"))
                .media().get(0);

        assertThat(audio.rtpmaps()).containsExactly(new RtpMap(0, "PCMU", 8000, 1), new RtpMap(18, "G729", 8000, 1),
                new RtpMap(8, "PCMA", 8000, 1), new RtpMap(101, "telephone-event", 8000, 1));
        assertThat(RtpMap.staticPayloadType(3)).contains(new RtpMap(3, "GSM", 8000, 1));
        assertThat(RtpMap.staticPayloadType(9)).contains(new RtpMap(9, "G722", 8000, 1));
        assertThat(RtpMap.staticPayloadType(96)).isEmpty();
    }

    @Test
    void leavesOutDynamicPayloadTypesWithoutRtpmap() {
        SessionDescription sdp = SdpParser.parse(MINIMAL + "m=audio 4000 RTP/AVP 96 0\r\n");

        assertThat(sdp.media().get(0).rtpmaps()).containsExactly(new RtpMap(0, "PCMU", 8000, 1));
    }

    @Test
    void keepsSessionAndMediaLevelConnectionApart() {
        SessionDescription sdp = SdpParser.parse(
                SdpVectors.read("sip/polycom-vvx-offer-session-and-media-c-maxptime.sdp"));

        assertThat(sdp.connection()).contains(new Connection("IN", "IP4", "192.168.1.80"));
        assertThat(sdp.media().get(0).connection()).contains(new Connection("IN", "IP4", "192.168.1.81"));
        assertThat(sdp.connectionFor(sdp.media().get(0))).contains(new Connection("IN", "IP4", "192.168.1.81"));
        assertThat(sdp.media().get(0).bandwidths()).containsExactly("TIAS:64000");
        assertThat(sdp.otherLines()).containsExactly(new SdpLine('b', "AS:512"));
        assertThat(sdp.directionOf(sdp.media().get(0))).isEqualTo(Direction.SENDRECV);
    }

    @Test
    void fallsBackToSessionLevelConnectionForAMediaSectionWithoutOne() {
        SessionDescription sdp = SdpParser.parse(SdpVectors.read("sip/pbx-asterisk-answer-pcmu.sdp"));

        assertThat(sdp.media().get(0).connection()).isEmpty();
        assertThat(sdp.connectionFor(sdp.media().get(0))).contains(new Connection("IN", "IP4", "203.0.113.10"));
    }

    @Test
    void keepsRepeatsZoneKeyAndUnknownLinesWithPortCount() {
        SessionDescription sdp = SdpParser.parse(SdpVectors.read("edge/rfc8866-repeat-zone-key-bandwidth.sdp"));

        assertThat(sdp.timings()).containsExactly(new Timing(2873397496L, 2873404696L, List.of("604800 3600 0 90000")));
        assertThat(sdp.connection()).contains(new Connection("IN", "IP4", "233.252.0.1/127"));
        assertThat(sdp.otherLines()).extracting(SdpLine::type).containsExactly('i', 'u', 'e', 'b', 'z', 'k', 'x');
        MediaDescription audio = sdp.media().get(0);
        assertThat(audio.portCount()).isEqualTo(OptionalInt.of(2));
        assertThat(audio.otherLines()).containsExactly(new SdpLine('i', "main audio"), new SdpLine('k', "prompt"));
        assertThat(sdp.media().get(2).formats()).containsExactly("wb");
        assertThat(sdp.media().get(2).rtpmaps()).isEmpty();
    }

    @Test
    void acceptsBareLfTrailingWhitespaceBlankLinesAndNoFinalNewline() {
        String crlf = MINIMAL + "m=audio 4000 RTP/AVP 0\r\na=sendrecv\r\n";
        String sloppy = "v=0 \no=- 1 2 IN IP4 192.0.2.1\t\ns=-\n\nc=IN  IP4 192.0.2.1\nt=0 0\n"
                + "m=audio 4000 RTP/AVP 0  \na=sendrecv";

        assertThat(SdpParser.parse(sloppy)).isEqualTo(SdpParser.parse(crlf));
        assertThat(SdpParser.parse(crlf.replace("\r\n", "\r"))).isEqualTo(SdpParser.parse(crlf));
    }

    @Test
    void defaultsAMissingSessionNameAndToleratesAMissingTiming() {
        SessionDescription sdp = SdpParser.parse("v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\n");

        assertThat(sdp.sessionName()).isEqualTo("-");
        assertThat(sdp.timings()).isEmpty();
        assertThat(sdp.media()).isEmpty();
    }

    @Test
    void namesTheLineWhenAPortIsNotANumber() {
        assertThatThrownBy(() -> SdpParser.parse(MINIMAL + "m=audio abc RTP/AVP 0\r\n"))
                .isInstanceOf(SdpException.class)
                .hasMessage("line 6 \"m=audio abc RTP/AVP 0\": port is not a number");
    }

    @Test
    void rejectsAPayloadTypeThatIsNotANumber() {
        assertThatThrownBy(() -> SdpParser.parse(MINIMAL + "m=audio 4000 RTP/AVP 0 x8\r\n"))
                .isInstanceOf(SdpException.class)
                .hasMessage("line 6 \"m=audio 4000 RTP/AVP 0 x8\": payload type \"x8\" is not a number");
    }

    @Test
    void rejectsAPayloadTypeAbove127() {
        assertThatThrownBy(() -> SdpParser.parse(MINIMAL + "m=audio 4000 RTP/AVP 200\r\n"))
                .hasMessage("line 6 \"m=audio 4000 RTP/AVP 200\": payload type 200 is outside 0-127");
    }

    @Test
    void acceptsNonNumericFormatsForNonRtpProtos() {
        SessionDescription sdp = SdpParser.parse(SdpVectors.read("browser/chromium-audio-datachannel-offer.sdp"));

        assertThat(sdp.media().get(1).formats()).containsExactly("webrtc-datachannel");
    }

    @Test
    void rejectsAPortAbove65535() {
        assertThatThrownBy(() -> SdpParser.parse(MINIMAL + "m=audio 70000 RTP/AVP 0\r\n"))
                .hasMessage("line 6 \"m=audio 70000 RTP/AVP 0\": port 70000 is above 65535");
    }

    @Test
    void rejectsAMalformedRtpmapNamingIt() {
        assertThatThrownBy(() -> SdpParser.parse(MINIMAL + "m=audio 4000 RTP/AVP 96\r\na=rtpmap:abc opus/48000\r\n"))
                .hasMessage("line 7 \"a=rtpmap:abc opus/48000\": a=rtpmap:abc opus/48000: payload type \"abc\" is not a number");
        assertThatThrownBy(() -> SdpParser.parse(MINIMAL + "m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 opus\r\n"))
                .hasMessageStartingWith("line 7 \"a=rtpmap:96 opus\": ")
                .hasMessageEndingWith("expected \"<encoding>/<clock rate>[/<channels>]\"");
        assertThatThrownBy(() -> SdpParser.parse(MINIMAL + "m=audio 4000 RTP/AVP 96\r\na=fmtp:x 0-15\r\n"))
                .hasMessage("line 7 \"a=fmtp:x 0-15\": payload type \"x\" is not a number");
    }

    @Test
    void rejectsAnSdpThatDoesNotStartWithVersionZero() {
        assertThatThrownBy(() -> SdpParser.parse("o=- 1 2 IN IP4 192.0.2.1\r\nv=0\r\n"))
                .hasMessage("line 1 \"o=- 1 2 IN IP4 192.0.2.1\": expected v=0 as the first line");
        assertThatThrownBy(() -> SdpParser.parse("v=1\r\n")).hasMessage("line 1 \"v=1\": expected v=0 as the first line");
    }

    @Test
    void rejectsAnSdpWithoutOrigin() {
        assertThatThrownBy(() -> SdpParser.parse("v=0\r\ns=-\r\nt=0 0\r\n")).hasMessage("SDP has no o= line");
    }

    @Test
    void rejectsAMediaLineBeforeTheOrigin() {
        assertThatThrownBy(() -> SdpParser.parse("v=0\r\nm=audio 4000 RTP/AVP 0\r\no=- 1 2 IN IP4 192.0.2.1\r\n"))
                .hasMessage("line 2 \"m=audio 4000 RTP/AVP 0\": m= line before the o= line");
    }

    @Test
    void rejectsEmptyAndNullInput() {
        assertThatThrownBy(() -> SdpParser.parse("")).isInstanceOf(SdpException.class).hasMessage("SDP is empty");
        assertThatThrownBy(() -> SdpParser.parse("\r\n \r\n")).hasMessage("SDP is empty");
        assertThatThrownBy(() -> SdpParser.parse(null)).isInstanceOf(SdpException.class).hasMessage("SDP is null");
    }

    @Test
    void rejectsLinesThatAreNotTypeEqualsValue() {
        assertThatThrownBy(() -> SdpParser.parse(MINIMAL + "hello\r\n"))
                .hasMessage("line 6 \"hello\": expected <type>=<value> with a lower-case type letter");
        assertThatThrownBy(() -> SdpParser.parse(MINIMAL + "A=b\r\n"))
                .hasMessageStartingWith("line 6 \"A=b\"");
    }

    @Test
    void rejectsDuplicatesAndSessionLinesInsideAMediaSection() {
        assertThatThrownBy(() -> SdpParser.parse(MINIMAL + "o=- 1 2 IN IP4 192.0.2.1\r\n"))
                .hasMessage("line 6 \"o=- 1 2 IN IP4 192.0.2.1\": duplicate o= line");
        assertThatThrownBy(() -> SdpParser.parse(MINIMAL + "m=audio 4000 RTP/AVP 0\r\nt=0 0\r\n"))
                .hasMessage("line 7 \"t=0 0\": t= line is not allowed in a media section");
        assertThatThrownBy(() -> SdpParser.parse(MINIMAL + "m=audio 4000 RTP/AVP 0\r\nc=IN IP4 1.2.3.4\r\nc=IN IP4 1.2.3.5\r\n"))
                .hasMessage("line 8 \"c=IN IP4 1.2.3.5\": duplicate c= line in one media section");
        assertThatThrownBy(() -> SdpParser.parse(MINIMAL.replace("t=0 0\r\n", "r=1 2 3\r\n")))
                .hasMessage("line 5 \"r=1 2 3\": r= line without a preceding t= line");
    }

    @Test
    void rejectsMalformedOriginConnectionAndTiming() {
        assertThatThrownBy(() -> SdpParser.parse("v=0\r\no=- 1 IN IP4 192.0.2.1\r\n"))
                .hasMessageStartingWith("line 2 \"o=- 1 IN IP4 192.0.2.1\": expected <username>");
        assertThatThrownBy(() -> SdpParser.parse(MINIMAL.replace("c=IN IP4 192.0.2.1", "c=IN IP4")))
                .hasMessage("line 4 \"c=IN IP4\": expected <nettype> <addrtype> <connection-address>");
        assertThatThrownBy(() -> SdpParser.parse(MINIMAL.replace("t=0 0", "t=now 0")))
                .hasMessage("line 5 \"t=now 0\": start time \"now\" is not a number");
        assertThatThrownBy(() -> SdpParser.parse(MINIMAL + "a=:x\r\n"))
                .hasMessage("line 6 \"a=:x\": attribute has no name");
    }

    @Test
    void rejectsAnSdpOver64KiB() {
        String big = MINIMAL + ("a=x-pad:" + "p".repeat(1000) + "\r\n").repeat(66);

        assertThatThrownBy(() -> SdpParser.parse(big)).isInstanceOf(SdpException.class)
                .hasMessage("SDP is " + big.length() + " characters long, limit is 65536");
    }

    @Test
    void rejectsALineOver4KiB() {
        assertThatThrownBy(() -> SdpParser.parse(MINIMAL + "a=x-pad:" + "p".repeat(5000) + "\r\n"))
                .isInstanceOf(SdpException.class)
                .hasMessageStartingWith("line 6 \"a=x-pad:ppp")
                .hasMessageEndingWith("...\": line is 5008 characters long, limit is 4096");
    }

    @Test
    void rejectsMoreThan64MediaLines() {
        String sdp = MINIMAL + "m=audio 0 RTP/AVP 0\r\n".repeat(64);
        assertThat(SdpParser.parse(sdp).media()).hasSize(64);

        assertThatThrownBy(() -> SdpParser.parse(sdp + "m=audio 0 RTP/AVP 0\r\n"))
                .hasMessage("line 70 \"m=audio 0 RTP/AVP 0\": more than 64 m= lines");
    }

    @Test
    void quotesControlCharactersHarmlesslyInMessages() {
        assertThatThrownBy(() -> SdpParser.parse(MINIMAL + "\u0007\"=x\r\n"))
                .hasMessage("line 6 \"??=x\": expected <type>=<value> with a lower-case type letter");
    }

    @Test
    void withCopiesLeaveTheOriginalUntouched() {
        SessionDescription sdp = SdpParser.parse(MINIMAL + "m=audio 4000 RTP/AVP 0\r\na=sendrecv\r\n");
        MediaDescription audio = sdp.media().get(0);

        MediaDescription changed = audio.withPort(0).withAttributes(List.of(Attribute.property("inactive")));

        assertThat(audio.port()).isEqualTo(4000);
        assertThat(audio.direction()).contains(Direction.SENDRECV);
        assertThat(changed.port()).isZero();
        assertThat(changed.direction()).contains(Direction.INACTIVE);
        assertThat(sdp.withMedia(List.of(changed)).media().get(0)).isEqualTo(changed);
        assertThat(sdp.withConnection(Optional.empty()).connection()).isEmpty();
    }
}

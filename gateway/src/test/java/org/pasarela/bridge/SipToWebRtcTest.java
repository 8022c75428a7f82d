package org.pasarela.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pasarela.bridge.BridgeFixtures.LOCAL;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pasarela.sdp.Attribute;
import org.pasarela.sdp.Connection;
import org.pasarela.sdp.Direction;
import org.pasarela.sdp.MediaDescription;
import org.pasarela.sdp.SdpParser;
import org.pasarela.sdp.SessionDescription;

class SipToWebRtcTest {
    private static final List<String> PCMU_PCMA_TE = List.of("PCMU", "PCMA", "telephone-event");
    private static final String SIP_HEAD = "v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\n";

    private static String text(String vector) {
        return BridgeFixtures.read(BridgeFixtures.resource("vectors/sdp/" + vector));
    }

    private static BridgedAnswer answer(String browserText, String sipText) {
        SessionDescription offer = SdpParser.parse(browserText);
        BridgedOffer bridged = WebRtcToSip.translate(offer, PCMU_PCMA_TE, LOCAL);
        return SipToWebRtc.answer(offer, bridged, SdpParser.parse(sipText), LOCAL);
    }

    private static BridgedAnswer answer(String sipText) {
        return answer(text("browser/chromium-audio-offer.sdp"), sipText);
    }

    private static MediaDescription audio(BridgedAnswer a) {
        return a.webrtcAnswer().media().get(0);
    }

    @Test
    void answersEveryOfferedMLineInOrderAndRefusesAllButTheBridgedAudio() {
        BridgedAnswer a = answer(text("browser/chromium-audio-video-offer.sdp"), text("sip/pbx-asterisk-answer-pcmu.sdp"));

        List<MediaDescription> media = a.webrtcAnswer().media();
        assertThat(media).extracting(MediaDescription::media).containsExactly("audio", "video");
        assertThat(media.get(1).port()).isZero();
        assertThat(media.get(1).proto()).isEqualTo("UDP/TLS/RTP/SAVPF");
        assertThat(media.get(1).formats()).containsExactly("96");
        assertThat(media.get(1).attributes()).containsExactly(Attribute.of("mid", "1"));
    }

    @Test
    void bundlesOnlyTheAcceptedMid() {
        BridgedAnswer a = answer(text("browser/chromium-audio-datachannel-offer.sdp"),
                text("sip/pbx-asterisk-answer-pcmu.sdp"));

        assertThat(a.webrtcAnswer().attributeValue("group")).contains("BUNDLE 0");
    }

    @Test
    void omitsTheBundleGroupWhenTheBrowserOfferedNone() {
        BridgedAnswer a = answer(text("browser/chromium-audio-offer.sdp").replace("a=group:BUNDLE 0\r\n", ""),
                text("sip/pbx-asterisk-answer-pcmu.sdp"));

        assertThat(a.webrtcAnswer().attributes("group")).isEmpty();
    }

    @Test
    void isIceLiteWithOneHostCandidateAndEndOfCandidates() {
        BridgedAnswer a = answer(text("sip/pbx-asterisk-answer-pcmu.sdp"));

        assertThat(a.webrtcAnswer().attributes()).startsWith(Attribute.property("ice-lite"));
        MediaDescription audio = audio(a);
        assertThat(audio.port()).isEqualTo(40000);
        assertThat(audio.proto()).isEqualTo("UDP/TLS/RTP/SAVPF");
        assertThat(audio.connection()).contains(new Connection("IN", "IP4", "203.0.113.10"));
        assertThat(audio.attributes("candidate"))
                .containsExactly(Attribute.of("candidate", "1 1 udp 2130706431 203.0.113.10 40000 typ host"));
        assertThat(audio.hasAttribute("end-of-candidates")).isTrue();
        assertThat(audio.attributeValue("ice-ufrag")).contains("gwUfrag1");
        assertThat(audio.attributeValue("ice-pwd")).contains("gwPasswordGwPasswordGw1");
        assertThat(audio.attributeValue("fingerprint")).contains("sha-256 " + LOCAL.fingerprintSha256());
        assertThat(audio.attributeValue("mid")).contains("0");
        assertThat(audio.hasAttribute("rtcp-mux")).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"actpass, passive", "active, passive", "passive, active"})
    void takesTheDtlsRoleTheBrowserLeftOpen(String offered, String answered) {
        BridgedAnswer a = answer(text("browser/chromium-audio-offer.sdp").replace("a=setup:actpass", "a=setup:" + offered),
                text("sip/pbx-asterisk-answer-pcmu.sdp"));

        assertThat(audio(a).attributeValue("setup")).contains(answered);
    }

    @Test
    void answersWithTheFirstSipCodecThatWasOfferedUsingTheBrowsersNumbers() {
        BridgedAnswer a = answer(SIP_HEAD + "m=audio 20000 RTP/AVP 18 8 0 101\r\na=rtpmap:18 G729/8000\r\n"
                + "a=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n");

        assertThat(a.codec()).isEqualTo(new BridgedCodec(8, 8, "PCMA", 8000));
        assertThat(a.telephoneEvent()).contains(new BridgedCodec(126, 101, "telephone-event", 8000));
        assertThat(audio(a).formats()).containsExactly("8", "126");
        assertThat(audio(a).attributes("rtpmap")).containsExactly(Attribute.of("rtpmap", "8 PCMA/8000"),
                Attribute.of("rtpmap", "126 telephone-event/8000"));
    }

    @Test
    void mapsARenumberedDynamicCodecBackToTheBrowsersPayloadType() {
        SessionDescription offer = BridgeFixtures.sdp("browser/chromium-audio-offer.sdp");
        BridgedOffer bridged = WebRtcToSip.translate(offer, List.of("opus", "telephone-event"), LOCAL);
        SessionDescription sip = SdpParser.parse(SIP_HEAD + "m=audio 20000 RTP/AVP 96 97\r\n"
                + "a=rtpmap:96 OPUS/48000/2\r\na=rtpmap:97 telephone-event/48000\r\n");

        BridgedAnswer a = SipToWebRtc.answer(offer, bridged, sip, LOCAL);

        assertThat(a.codec()).isEqualTo(new BridgedCodec(111, 96, "opus", 48000));
        assertThat(a.telephoneEvent()).contains(new BridgedCodec(110, 97, "telephone-event", 48000));
        assertThat(audio(a).attribute("fmtp")).contains(Attribute.of("fmtp", "111 minptime=10;useinbandfec=1"));
    }

    @Test
    void understandsAStaticPayloadTypeWithoutRtpmap() {
        BridgedAnswer a = answer(text("sip/ata-spa-answer-no-rtpmap.sdp"));

        assertThat(a.codec()).isEqualTo(new BridgedCodec(0, 0, "PCMU", 8000));
        assertThat(audio(a).attribute("rtpmap")).contains(Attribute.of("rtpmap", "0 PCMU/8000"));
    }

    @Test
    void dropsTelephoneEventWhenTheSipSideDidNotKeepIt() {
        BridgedAnswer a = answer(SIP_HEAD + "m=audio 20000 RTP/AVP 0\r\n");

        assertThat(a.telephoneEvent()).isEmpty();
        assertThat(audio(a).formats()).containsExactly("0");
    }

    @Test
    void carriesTheSipSidesPtimeToTheBrowser() {
        assertThat(audio(answer(text("sip/ata-spa-answer-no-rtpmap.sdp"))).attributeValue("ptime")).contains("30");
        assertThat(audio(answer(SIP_HEAD + "m=audio 20000 RTP/AVP 0\r\n")).hasAttribute("ptime")).isFalse();
    }

    @ParameterizedTest(name = "browser {0} + SIP {1} -> {2}")
    @CsvSource({
        "sendrecv, sendrecv, sendrecv", "sendrecv, sendonly, sendonly", "sendrecv, recvonly, recvonly",
        "sendrecv, inactive, inactive", "recvonly, sendrecv, sendonly", "recvonly, sendonly, sendonly",
        "sendonly, sendrecv, recvonly", "sendonly, recvonly, recvonly", "inactive, sendrecv, inactive"})
    void combinesBothSidesDirectionsAsRfc3264Says(String browser, String sip, String expected) {
        BridgedAnswer a = answer(text("browser/chromium-audio-offer.sdp").replace("a=sendrecv", "a=" + browser),
                SIP_HEAD + "m=audio 20000 RTP/AVP 0\r\na=" + sip + "\r\n");

        assertThat(audio(a).direction()).contains(Direction.valueOf(expected.toUpperCase(java.util.Locale.ROOT)));
    }

    @Test
    void takesRtcpFromARtcpElseTheNextPort() {
        assertThat(answer(text("sip/pbx-freeswitch-answer-pcma.sdp")).sipMedia())
                .isEqualTo(new SipRemoteMedia("198.51.100.20", 24562, 24563, false));
        assertThat(answer(text("sip/asterisk-20-answer-pcmu-rtcp.sdp")).sipMedia())
                .isEqualTo(new SipRemoteMedia("203.0.113.30", 13758, 13759, false));
        assertThat(answer(SIP_HEAD + "m=audio 20000 RTP/AVP 0\r\na=rtcp:20011\r\n").sipMedia().rtcpPort())
                .isEqualTo(20011);
        assertThat(answer(SIP_HEAD + "m=audio 20000 RTP/AVP 0\r\n").sipMedia().rtcpPort()).isEqualTo(20001);
    }

    @Test
    void usesTheRtpPortForRtcpWhenTheSipSideMuxes() {
        assertThat(answer(SIP_HEAD + "m=audio 20000 RTP/AVP 0\r\na=rtcp-mux\r\n").sipMedia())
                .isEqualTo(new SipRemoteMedia("198.51.100.7", 20000, 20000, true));
    }

    @Test
    void prefersTheMediaLevelConnectionOverTheSessionLevelOne() {
        assertThat(answer(SIP_HEAD + "m=audio 20000 RTP/AVP 0\r\nc=IN IP4 198.51.100.99\r\n").sipMedia().address())
                .isEqualTo("198.51.100.99");
        assertThat(answer(text("sip/freeswitch-1.10-answer-pcma-media-c.sdp")).sipMedia().address())
                .isEqualTo("198.51.100.20");
    }

    @Test
    void keepsTheHoldAddressAsGiven() {
        SipRemoteMedia media = answer(text("sip/ata-hold-reinvite.sdp")).sipMedia();

        assertThat(media.address()).isEqualTo("0.0.0.0");
        assertThat(media.isHold()).isTrue();
    }

    @Test
    void pranswerFollowsTheSameRulesAsAnswer() {
        SessionDescription offer = BridgeFixtures.sdp("browser/chromium-audio-offer.sdp");
        BridgedOffer bridged = WebRtcToSip.translate(offer, PCMU_PCMA_TE, LOCAL);
        SessionDescription sip183 = BridgeFixtures.sdp("sip/pstn-gateway-early-media-183.sdp");

        assertThat(SipToWebRtc.pranswer(offer, bridged, sip183, LOCAL))
                .isEqualTo(SipToWebRtc.answer(offer, bridged, sip183, LOCAL));
    }

    @Test
    void refusesASipAnswerWithoutAudio() {
        assertThatThrownBy(() -> answer(SIP_HEAD + "m=video 20000 RTP/AVP 96\r\n"))
                .isInstanceOf(BridgeException.class).hasMessage("SIP answer has no audio m-line");
        assertThatThrownBy(() -> answer(SIP_HEAD))
                .isInstanceOf(BridgeException.class).hasMessage("SIP answer has no audio m-line");
    }

    @Test
    void refusesASipAnswerThatRejectedAudio() {
        assertThatThrownBy(() -> answer(SIP_HEAD + "m=audio 0 RTP/AVP 0\r\n"))
                .isInstanceOf(BridgeException.class).hasMessage("SIP answer rejected audio (port 0)");
    }

    @Test
    void refusesAPayloadTypeThatWasNotOffered() {
        assertThatThrownBy(() -> answer(SIP_HEAD + "m=audio 20000 RTP/AVP 18 101\r\na=rtpmap:101 telephone-event/8000\r\n"))
                .isInstanceOf(BridgeException.class).hasMessage("SIP answer chose payload type 18 that was not offered");
    }

    @Test
    void refusesAnAnswerWithOnlyTelephoneEvent() {
        assertThatThrownBy(() -> answer(SIP_HEAD + "m=audio 20000 RTP/AVP 126\r\na=rtpmap:126 telephone-event/8000\r\n"))
                .isInstanceOf(BridgeException.class).hasMessage("SIP answer has no voice codec, only [126]");
    }

    @Test
    void refusesAnAnswerWithoutConnectionAddress() {
        String noC = SIP_HEAD.replace("c=IN IP4 198.51.100.7\r\n", "") + "m=audio 20000 RTP/AVP 0\r\n";

        assertThatThrownBy(() -> answer(noC))
                .isInstanceOf(BridgeException.class).hasMessage("SIP answer has no connection address (c=)");
    }

    @Test
    void refusesSrtpOnTheSipSide() {
        assertThatThrownBy(() -> answer(SIP_HEAD + "m=audio 20000 RTP/SAVP 0\r\n"))
                .isInstanceOf(BridgeException.class).hasMessage("SIP answer proto \"RTP/SAVP\" is not supported");
    }

    @Test
    void refusesAMalformedRtcpPort() {
        assertThatThrownBy(() -> answer(SIP_HEAD + "m=audio 20000 RTP/AVP 0\r\na=rtcp:none\r\n"))
                .isInstanceOf(BridgeException.class).hasMessage("SIP answer a=rtcp:none: port is not 1-65535");
    }

    @Test
    void answerParsesBackToItself() {
        BridgedAnswer a = answer(text("browser/chromium-audio-video-offer.sdp"), text("sip/pbx-asterisk-answer-pcmu.sdp"));

        assertThat(SdpParser.parse(org.pasarela.sdp.SdpWriter.write(a.webrtcAnswer()))).isEqualTo(a.webrtcAnswer());
        assertThat(a.webrtcAnswer().media().get(1).connection()).isEqualTo(Optional.of(new Connection("IN", "IP4", "0.0.0.0")));
    }
}

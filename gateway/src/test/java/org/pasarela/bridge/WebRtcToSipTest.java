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
import org.pasarela.sdp.MediaDescription;
import org.pasarela.sdp.RtpMap;
import org.pasarela.sdp.SdpParser;
import org.pasarela.sdp.SdpWriter;
import org.pasarela.sdp.SessionDescription;

class WebRtcToSipTest {
    private static final String AUDIO = "browser/chromium-audio-offer.sdp";
    private static final List<String> PCMU_PCMA_TE = List.of("PCMU", "PCMA", "telephone-event");

    private static String text(String vector) {
        return BridgeFixtures.read(BridgeFixtures.resource("vectors/sdp/" + vector));
    }

    private static MediaDescription sipAudio(SessionDescription browserOffer, List<String> codecs) {
        return WebRtcToSip.translate(browserOffer, codecs, LOCAL).sipOffer().media().get(0);
    }

    @Test
    void keepsCodecsBothSidesAllowInProfileOrderWithBrowserPayloadTypes() {
        MediaDescription audio = sipAudio(BridgeFixtures.sdp(AUDIO), List.of("PCMA", "G729", "G722", "PCMU"));

        assertThat(audio.formats()).containsExactly("8", "9", "0");
        assertThat(audio.proto()).isEqualTo("RTP/AVP");
        assertThat(audio.port()).isEqualTo(30000);
    }

    @Test
    void matchesProfileCodecNamesCaseInsensitively() {
        assertThat(sipAudio(BridgeFixtures.sdp(AUDIO), List.of("OPUS", "pcmu")).formats()).containsExactly("111", "0");
    }

    @Test
    void keepsTelephoneEventWhenProfileAllowsItAtTheChosenCodecsClockRate() {
        assertThat(sipAudio(BridgeFixtures.sdp(AUDIO), PCMU_PCMA_TE).formats()).containsExactly("0", "8", "126");
        assertThat(sipAudio(BridgeFixtures.sdp(AUDIO), List.of("opus", "telephone-event")).formats())
                .containsExactly("111", "110");
    }

    @Test
    void keepsOneTelephoneEventPerClockRateOfTheOfferedCodecs() {
        MediaDescription audio = sipAudio(BridgeFixtures.sdp(AUDIO), List.of("opus", "PCMU", "telephone-event"));

        assertThat(audio.formats()).containsExactly("111", "0", "110", "126");
    }

    @Test
    void dropsTelephoneEventWhenProfileDoesNotAllowIt() {
        MediaDescription audio = sipAudio(BridgeFixtures.sdp(AUDIO), List.of("PCMU"));

        assertThat(audio.formats()).containsExactly("0");
        assertThat(audio.attributes("fmtp")).isEmpty();
    }

    @Test
    void honoursAClockRateNamedInTheProfile() {
        assertThat(sipAudio(BridgeFixtures.sdp(AUDIO), List.of("PCMU", "telephone-event/48000")).formats())
                .containsExactly("0");
    }

    @Test
    void writesRtpmapForEveryCodecAndCarriesFmtpOver() {
        MediaDescription audio = sipAudio(BridgeFixtures.sdp(AUDIO), List.of("opus", "PCMU", "telephone-event"));

        assertThat(audio.attributes()).startsWith(
                Attribute.of("rtpmap", "111 opus/48000/2"), Attribute.of("fmtp", "111 minptime=10;useinbandfec=1"),
                Attribute.of("rtpmap", "0 PCMU/8000"), Attribute.of("rtpmap", "110 telephone-event/48000"),
                Attribute.of("fmtp", "110 0-15"), Attribute.of("rtpmap", "126 telephone-event/8000"),
                Attribute.of("fmtp", "126 0-15"));
    }

    @Test
    void keepsTheBrowsersTelephoneEventFmtpWhenItSendsOne() {
        SessionDescription offer = SdpParser.parse(text(AUDIO).replace("a=rtpmap:126 telephone-event/8000\r\n",
                "a=rtpmap:126 telephone-event/8000\r\na=fmtp:126 0-16\r\n"));

        assertThat(sipAudio(offer, PCMU_PCMA_TE).attribute("fmtp")).contains(Attribute.of("fmtp", "126 0-16"));
    }

    @Test
    void addsPtimeDirectionAndRtcpOnTheOddPort() {
        MediaDescription audio = sipAudio(BridgeFixtures.sdp(AUDIO), PCMU_PCMA_TE);

        assertThat(audio.attributes()).endsWith(Attribute.of("ptime", "20"), Attribute.property("sendrecv"),
                Attribute.of("rtcp", "30001"));
    }

    @Test
    void leavesEveryWebRtcOnlyLineOnTheBrowserSide() {
        String sip = SdpWriter.write(WebRtcToSip.translate(BridgeFixtures.sdp("browser/chromium-audio-video-offer.sdp"),
                PCMU_PCMA_TE, LOCAL).sipOffer());

        for (String webrtcOnly : List.of("ice-", "fingerprint", "setup", "mid", "group", "BUNDLE", "msid", "ssrc",
                "rtcp-fb", "extmap", "rtcp-mux", "rtcp-rsize", "candidate", "SAVPF", "m=video")) {
            assertThat(sip).doesNotContain(webrtcOnly);
        }
    }

    @Test
    void writesOriginAndConnectionFromLocalMedia() {
        SessionDescription sip = WebRtcToSip.translate(BridgeFixtures.sdp(AUDIO), PCMU_PCMA_TE, LOCAL).sipOffer();

        assertThat(sip.origin().toString()).isEqualTo("- 1234567890 1 IN IP4 203.0.113.10");
        assertThat(sip.connection()).contains(new Connection("IN", "IP4", "203.0.113.10"));
        assertThat(sip.timings()).hasSize(1);
    }

    @Test
    void usesIp6WhenTheMediaAddressIsIpv6() {
        LocalMedia v6 = new LocalMedia("2001:db8::10", 40000, 30000, LOCAL.iceUfrag(), LOCAL.icePwd(),
                LOCAL.fingerprintSha256(), 1, 1);

        SessionDescription sip = WebRtcToSip.translate(BridgeFixtures.sdp(AUDIO), PCMU_PCMA_TE, v6).sipOffer();

        assertThat(sip.connection()).contains(new Connection("IN", "IP6", "2001:db8::10"));
        assertThat(sip.origin().addrType()).isEqualTo("IP6");
    }

    @ParameterizedTest
    @CsvSource({"sendrecv", "sendonly", "recvonly", "inactive"})
    void mirrorsTheBrowsersDirection(String direction) {
        SessionDescription offer = SdpParser.parse(text(AUDIO).replace("a=sendrecv", "a=" + direction));

        assertThat(sipAudio(offer, PCMU_PCMA_TE).hasAttribute(direction)).isTrue();
    }

    @Test
    void bridgesOnlyTheFirstAudioMLineThatIsNotRejected() {
        String text = text(AUDIO);
        String audioSection = text.substring(text.indexOf("m=audio"));
        SessionDescription offer = SdpParser.parse(text.replace("m=audio 43214", "m=audio 0")
                .replace("a=group:BUNDLE 0", "a=group:BUNDLE 0 1") + audioSection.replace("a=mid:0", "a=mid:1"));

        BridgedOffer bridged = WebRtcToSip.translate(offer, PCMU_PCMA_TE, LOCAL);

        assertThat(bridged.bridgedIndex()).isEqualTo(1);
        assertThat(bridged.sipOffer().media()).hasSize(1);
    }

    @Test
    void remembersWhatTheAnswerNeeds() {
        BridgedOffer bridged = WebRtcToSip.translate(BridgeFixtures.sdp("browser/chromium-audio-datachannel-offer.sdp"),
                PCMU_PCMA_TE, LOCAL);

        assertThat(bridged.bridgedIndex()).isZero();
        assertThat(bridged.mids()).containsExactly(Optional.of("0"), Optional.of("1"));
        assertThat(bridged.bundleMids()).containsExactly("0", "1");
        assertThat(bridged.iceUfrag()).isEqualTo("4f23");
        assertThat(bridged.icePwd()).isEqualTo("kZ7BI4nUKyUdXSpyudWBPXCL");
        assertThat(bridged.fingerprints()).containsExactly("sha-256 06:A8:33:6E:47:DD:C7:AC:1A:41:03:45:4E:BA:2F:5A:"
                + "22:CC:BC:B2:1F:48:11:F7:3A:6A:06:B7:74:9C:C5:93");
        assertThat(bridged.setup()).isEqualTo(DtlsSetup.ACTPASS);
        assertThat(bridged.codecs()).containsExactly(new RtpMap(0, "PCMU", 8000, 1), new RtpMap(8, "PCMA", 8000, 1),
                new RtpMap(126, "telephone-event", 8000, 1));
        assertThat(bridged.codec("pcma", 8000)).contains(new RtpMap(8, "PCMA", 8000, 1));
    }

    @Test
    void readsIceAndDtlsParametersFromSessionLevelWhenTheMLineHasNone() {
        String text = text(AUDIO);
        String moved = text.replace("a=ice-ufrag:WqA+\r\n", "").replace("a=ice-pwd:cO+W95xhmehUculLk72BHllw\r\n", "")
                .replace("a=setup:actpass\r\n", "")
                .replace("a=group:BUNDLE 0\r\n", "a=group:BUNDLE 0\r\na=ice-ufrag:sess\r\na=ice-pwd:sessionPasswordSession1"
                        + "\r\na=setup:passive\r\n");

        BridgedOffer bridged = WebRtcToSip.translate(SdpParser.parse(moved), PCMU_PCMA_TE, LOCAL);

        assertThat(bridged.iceUfrag()).isEqualTo("sess");
        assertThat(bridged.icePwd()).isEqualTo("sessionPasswordSession1");
        assertThat(bridged.setup()).isEqualTo(DtlsSetup.PASSIVE);
    }

    @Test
    void treatsAMissingSetupAsActiveAsRfc4145Says() {
        SessionDescription offer = SdpParser.parse(text(AUDIO).replace("a=setup:actpass\r\n", ""));

        assertThat(WebRtcToSip.translate(offer, PCMU_PCMA_TE, LOCAL).setup()).isEqualTo(DtlsSetup.ACTIVE);
    }

    @Test
    void refusesAnOfferWithoutAudio() {
        String text = text("browser/chromium-audio-datachannel-offer.sdp");
        String noAudio = text.substring(0, text.indexOf("m=audio")) + text.substring(text.indexOf("m=application"));

        assertThatThrownBy(() -> WebRtcToSip.translate(SdpParser.parse(noAudio), PCMU_PCMA_TE, LOCAL))
                .isInstanceOf(BridgeException.class).hasMessage("offer has no audio m-line");
    }

    @Test
    void refusesAnOfferWhoseAudioIsRejected() {
        SessionDescription offer = SdpParser.parse(text(AUDIO).replace("m=audio 43214", "m=audio 0"));

        assertThatThrownBy(() -> WebRtcToSip.translate(offer, PCMU_PCMA_TE, LOCAL))
                .isInstanceOf(BridgeException.class).hasMessage("audio m-line is rejected (port 0)");
    }

    @Test
    void refusesAnOfferThatIsNotWebRtc() {
        SessionDescription offer = BridgeFixtures.sdp("sip/phone-yealink-offer-g722.sdp");

        assertThatThrownBy(() -> WebRtcToSip.translate(offer, PCMU_PCMA_TE, LOCAL))
                .isInstanceOf(BridgeException.class)
                .hasMessage("audio m-line proto \"RTP/AVP\" is not WebRTC (expected UDP/TLS/RTP/SAVPF)");
    }

    @Test
    void refusesAnOfferWithoutIceCredentials() {
        SessionDescription noUfrag = SdpParser.parse(text(AUDIO).replace("a=ice-ufrag:WqA+\r\n", ""));
        SessionDescription noPwd = SdpParser.parse(text(AUDIO).replace("a=ice-pwd:cO+W95xhmehUculLk72BHllw\r\n", ""));

        assertThatThrownBy(() -> WebRtcToSip.translate(noUfrag, PCMU_PCMA_TE, LOCAL))
                .isInstanceOf(BridgeException.class).hasMessage("audio m-line has no a=ice-ufrag");
        assertThatThrownBy(() -> WebRtcToSip.translate(noPwd, PCMU_PCMA_TE, LOCAL))
                .isInstanceOf(BridgeException.class).hasMessage("audio m-line has no a=ice-pwd");
    }

    @Test
    void refusesAnOfferWithoutFingerprint() {
        String text = text(AUDIO);
        int start = text.indexOf("a=fingerprint:");
        SessionDescription offer = SdpParser.parse(text.substring(0, start) + text.substring(text.indexOf("\r\n", start) + 2));

        assertThatThrownBy(() -> WebRtcToSip.translate(offer, PCMU_PCMA_TE, LOCAL))
                .isInstanceOf(BridgeException.class).hasMessage("audio m-line has no a=fingerprint");
    }

    @Test
    void refusesSetupHoldconn() {
        SessionDescription offer = SdpParser.parse(text(AUDIO).replace("a=setup:actpass", "a=setup:holdconn"));

        assertThatThrownBy(() -> WebRtcToSip.translate(offer, PCMU_PCMA_TE, LOCAL))
                .isInstanceOf(BridgeException.class).hasMessage("a=setup:holdconn is not valid");
    }

    @Test
    void refusesAnOfferWithNoCodecInCommonNamingBothSides() {
        assertThatThrownBy(() -> WebRtcToSip.translate(BridgeFixtures.sdp(AUDIO), List.of("G729", "telephone-event"), LOCAL))
                .isInstanceOf(BridgeException.class)
                .hasMessage("no codec in common: browser offers [opus, G722, PCMU, PCMA] but profile allows "
                        + "[G729, telephone-event]");
    }
}

package org.pasarela.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pasarela.bridge.BridgeFixtures.LOCAL;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pasarela.sdp.MediaDescription;
import org.pasarela.sdp.SdpParser;
import org.pasarela.sdp.SdpWriter;
import org.pasarela.sdp.SessionDescription;

/** A call from SIP to a browser: caller's RTP offer -> browser's JSEP offer -> browser's answer -> SIP answer. */
class IncomingCallBridgeTest {
    private static final List<String> PROFILE = List.of("G722", "PCMU", "PCMA", "G729", "telephone-event");

    private static SessionDescription vector(String name) {
        try (InputStream in = IncomingCallBridgeTest.class.getResourceAsStream("/vectors/sdp/sip/" + name)) {
            return SdpParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What Chromium answers to an offer: its own ICE and DTLS, one codec kept, setup active. */
    private static SessionDescription browserAnswer(SessionDescription offer, String formats, String setup) {
        String sdp = SdpWriter.write(offer)
                .replaceAll("m=audio (\\d+) UDP/TLS/RTP/SAVPF [0-9 ]+", "m=audio 9 UDP/TLS/RTP/SAVPF " + formats)
                .replace("a=ice-ufrag:gwUfrag1", "a=ice-ufrag:brwz")
                .replaceAll("a=ice-pwd:\\S+", "a=ice-pwd:browserPasswordBrowserPass")
                .replaceAll("a=fingerprint:sha-256 \\S+", "a=fingerprint:sha-256 " + "AB:".repeat(31) + "AB")
                .replace("a=setup:actpass", "a=setup:" + setup)
                .replace("a=ice-lite\r\n", "");
        return SdpParser.parse(sdp);
    }

    @Test
    void offersTheBrowserTheCallersCodecsThatBrowsersHaveInProfileOrderWithTheCallersNumbers() {
        SipToWebRtcOffer.Result offer = SipToWebRtcOffer.translate(vector("phone-yealink-offer-g722.sdp"), PROFILE, LOCAL);
        MediaDescription audio = offer.webrtcOffer().media().get(0);
        assertThat(audio.proto()).isEqualTo("UDP/TLS/RTP/SAVPF");
        assertThat(audio.port()).isEqualTo(LOCAL.browserPort());
        assertThat(offer.codecs()).extracting(c -> c.encoding().toUpperCase()).doesNotContain("G729");
        assertThat(offer.codecs().get(0).encoding()).isEqualToIgnoringCase("G722");
        String sdp = SdpWriter.write(offer.webrtcOffer());
        assertThat(sdp).contains("a=setup:actpass").contains("a=ice-lite").contains("a=group:BUNDLE 0")
                .contains("a=mid:0").contains("a=rtcp-mux").contains("a=fingerprint:sha-256 ")
                .contains("a=candidate:1 1 udp 2130706431 203.0.113.10 40000 typ host");
        assertThat(offer.sipMedia().rtpPort()).isPositive();
    }

    @Test
    void refusesACallerWhoseCodecsNoBrowserHas() {
        String g729Only = "v=0\r\no=- 1 1 IN IP4 192.0.2.5\r\ns=-\r\nc=IN IP4 192.0.2.5\r\nt=0 0\r\n"
                + "m=audio 5004 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n";
        assertThatThrownBy(() -> SipToWebRtcOffer.translate(SdpParser.parse(g729Only), PROFILE, LOCAL))
                .isInstanceOf(BridgeException.class).hasMessageContaining("no codec in common: SIP caller offers");
    }

    @Test
    void answersTheCallerWithTheBrowsersCodecOnTheGatewaysRtpPort() {
        SessionDescription sipOffer = vector("ata-spa-offer.sdp");
        SipToWebRtcOffer.Result offer = SipToWebRtcOffer.translate(sipOffer, PROFILE, LOCAL);
        String pcmu = "0";
        String event = offer.codecs().stream().filter(c -> c.encoding().equalsIgnoreCase("telephone-event"))
                .map(c -> Integer.toString(c.payloadType())).findFirst().orElse("");
        SessionDescription answer = browserAnswer(offer.webrtcOffer(), (pcmu + " " + event).trim(), "active");

        WebRtcAnswerToSip.Result result = WebRtcAnswerToSip.translate(answer, offer, sipOffer, LOCAL);
        MediaDescription sipAudio = result.sipAnswer().media().get(0);
        assertThat(sipAudio.proto()).isEqualTo("RTP/AVP");
        assertThat(sipAudio.port()).isEqualTo(LOCAL.sipRtpPort());
        assertThat(sipAudio.formats().get(0)).isEqualTo("0");
        assertThat(SdpWriter.write(result.sipAnswer())).doesNotContain("ice-").doesNotContain("fingerprint")
                .contains("c=IN IP4 203.0.113.10");
        assertThat(result.codec().browserPayloadType()).isEqualTo(result.codec().sipPayloadType());
        assertThat(result.browser().iceUfrag()).isEqualTo("brwz");
        assertThat(result.browser().gatewaySetup()).isEqualTo(DtlsSetup.PASSIVE);
    }

    @Test
    void takesTheActiveDtlsRoleWhenTheBrowserAnswersPassive() {
        SessionDescription sipOffer = vector("phone-yealink-offer-g722.sdp");
        SipToWebRtcOffer.Result offer = SipToWebRtcOffer.translate(sipOffer, PROFILE, LOCAL);
        String first = Integer.toString(offer.codecs().get(0).payloadType());
        WebRtcAnswerToSip.Result result = WebRtcAnswerToSip.translate(
                browserAnswer(offer.webrtcOffer(), first, "passive"), offer, sipOffer, LOCAL);
        assertThat(result.browser().gatewaySetup()).isEqualTo(DtlsSetup.ACTIVE);
    }

    @Test
    void refusesABrowserAnswerThatRejectsAudioOrKeepsNoOfferedCodec() {
        SessionDescription sipOffer = vector("ata-spa-offer.sdp");
        SipToWebRtcOffer.Result offer = SipToWebRtcOffer.translate(sipOffer, PROFILE, LOCAL);
        SessionDescription rejected = SdpParser.parse(SdpWriter.write(browserAnswer(offer.webrtcOffer(), "0", "active"))
                .replace("m=audio 9 ", "m=audio 0 "));
        assertThatThrownBy(() -> WebRtcAnswerToSip.translate(rejected, offer, sipOffer, LOCAL))
                .hasMessage("browser rejected audio (port 0)");
        assertThatThrownBy(() -> WebRtcAnswerToSip.translate(browserAnswer(offer.webrtcOffer(), "111", "active"),
                offer, sipOffer, LOCAL)).hasMessageContaining("keeps none of the offered codecs");
        assertThatThrownBy(() -> WebRtcAnswerToSip.translate(browserAnswer(offer.webrtcOffer(), "0", "actpass"),
                offer, sipOffer, LOCAL)).hasMessageContaining("must choose active or passive");
    }

    @Test
    void mirrorsAHoldOfferAndKeepsTheCallersMLineLayout() {
        SessionDescription sipOffer = vector("ata-hold-reinvite.sdp");
        SipToWebRtcOffer.Result offer = SipToWebRtcOffer.translate(sipOffer, PROFILE, LOCAL);
        assertThat(offer.sipDirection().sends() && offer.sipDirection().receives()).isFalse();
        String first = Integer.toString(offer.codecs().get(0).payloadType());
        WebRtcAnswerToSip.Result result = WebRtcAnswerToSip.translate(
                browserAnswer(offer.webrtcOffer(), first, "active"), offer, sipOffer, LOCAL);
        assertThat(result.sipAnswer().media()).hasSameSizeAs(sipOffer.media());
    }
}

package org.pasarela.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pasarela.bridge.BridgeFixtures.LOCAL;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pasarela.sdp.SdpException;
import org.pasarela.sdp.SdpParser;
import org.pasarela.sdp.SessionDescription;

/**
 * Whatever a browser or a SIP peer sends, once it parses, the bridge answers with a result or a
 * {@link BridgeException}, never with an exception that would look like a gateway bug.
 */
class BridgeRobustnessTest {
    private static final long SEED = 0xB41D6EL;
    private static final int ITERATIONS = 3_000;
    private static final List<String> BROWSER = List.of("browser/chromium-audio-offer.sdp",
            "browser/chromium-audio-video-offer.sdp", "browser/chromium-audio-datachannel-offer.sdp",
            "browser/chromium-recvonly-audio-offer.sdp");
    private static final List<String> SIP = List.of("sip/pbx-asterisk-answer-pcmu.sdp",
            "sip/pbx-freeswitch-answer-pcma.sdp", "sip/asterisk-20-answer-pcmu-rtcp.sdp", "sip/ata-hold-reinvite.sdp",
            "sip/freeswitch-1.10-answer-opus.sdp", "sip/pstn-gateway-early-media-183.sdp",
            "sip/ata-spa-answer-no-rtpmap.sdp", "sip/phone-yealink-offer-g722.sdp");
    private static final List<List<String>> PROFILES = List.of(List.of("PCMU", "PCMA", "telephone-event"),
            List.of("opus", "telephone-event"), List.of("G722", "PCMU"), List.of("G729"));
    private static final String[] EDITS = {"0", "9", " ", ":", "a=", "\r\n", "x", "-", "/", "m=audio 0 RTP/AVP 0\r\n"};

    @Test
    void mutatedOffersAndAnswersYieldAResultOrABridgeException() {
        Random random = new Random(SEED);
        int bridged = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            String offerText = mutate(read(BROWSER.get(random.nextInt(BROWSER.size()))), random);
            String answerText = mutate(read(SIP.get(random.nextInt(SIP.size()))), random);
            List<String> profile = PROFILES.get(random.nextInt(PROFILES.size()));
            SessionDescription offer;
            SessionDescription sipAnswer;
            try {
                offer = SdpParser.parse(offerText);
                sipAnswer = SdpParser.parse(answerText);
            } catch (SdpException notSdp) {
                continue;
            }
            try {
                BridgedOffer out = WebRtcToSip.translate(offer, profile, LOCAL);
                SipToWebRtc.answer(offer, out, sipAnswer, LOCAL);
                bridged++;
            } catch (BridgeException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } catch (RuntimeException e) {
                throw new AssertionError("iteration " + i + " threw " + e + "\noffer:\n" + offerText + "\nanswer:\n"
                        + answerText, e);
            }
        }
        assertThat(bridged).isGreaterThan(ITERATIONS / 10);
    }

    private static String read(String vector) {
        return BridgeFixtures.read(BridgeFixtures.resource("vectors/sdp/" + vector));
    }

    /** Small edits: they keep most inputs parseable, so the bridge (not the parser) is what gets exercised. */
    private static String mutate(String s, Random random) {
        String out = s;
        int edits = random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(out.length());
            int len = random.nextInt(Math.min(8, out.length() - at) + 1);
            out = out.substring(0, at) + EDITS[random.nextInt(EDITS.length)] + out.substring(at + len);
        }
        return out;
    }
}

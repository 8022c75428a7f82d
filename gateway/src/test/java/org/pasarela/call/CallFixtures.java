package org.pasarela.call;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.pasarela.bridge.LocalMedia;
import org.pasarela.call.CallEvent.MediaAllocated;
import org.pasarela.config.DtmfMode;
import org.pasarela.config.SipProfile;
import org.pasarela.config.SipUri;
import org.pasarela.sdp.SdpParser;

/** Calls in known states, driven only through events, with real Chromium and SIP-equipment SDPs. */
final class CallFixtures {
    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    static final LocalMedia LOCAL = new LocalMedia("203.0.113.10", 40000, 30000, "gwUfrag1",
            "gwPasswordGwPasswordGw1", fingerprint(), 1234567890L, 1);
    static final Duration NO_ANSWER = Duration.ofSeconds(60);

    private CallFixtures() {}

    static String resource(String path) {
        try (InputStream in = CallFixtures.class.getResourceAsStream("/vectors/" + path)) {
            if (in == null) {
                throw new IllegalStateException("missing test vector " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String chromiumOffer() {
        return resource("sdp/browser/chromium-audio-offer.sdp");
    }

    static String asteriskAnswer() {
        return resource("sdp/sip/pbx-asterisk-answer-pcmu.sdp");
    }

    static String earlyMediaAnswer() {
        return resource("sdp/sip/pstn-gateway-early-media-183.sdp");
    }

    static SipProfile profile(DtmfMode dtmf) {
        return SipProfile.builder("trunk", SipUri.parse("sip:192.0.2.1:5060")).dtmf(dtmf).build();
    }

    static Call newCall(DtmfMode dtmf) {
        return new Call(new CallSetup("c1", "req-1", profile(dtmf), SipUri.parse("sip:1000@192.0.2.1:5060"),
                "alice", SdpParser.parse(chromiumOffer()), NO_ANSWER));
    }

    /** INVITE sent, nothing heard back yet. */
    static Call inviting() {
        Call call = newCall(DtmfMode.INFO);
        call.start();
        call.handle(new MediaAllocated(LOCAL), T0);
        return call;
    }

    static Call ringing() {
        Call call = inviting();
        call.handle(new CallEvent.SipProvisional(180, "Ringing", null), T0);
        return call;
    }

    static Call answered() {
        Call call = ringing();
        call.handle(new CallEvent.SipAnswered(asteriskAnswer()), T0);
        return call;
    }

    static <T> List<T> ofType(List<CallAction> actions, Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static String fingerprint() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            b.append(i == 0 ? "" : ":").append(String.format("%02X", i * 7 % 256));
        }
        return b.toString();
    }
}

package org.pasarela.call;

import static org.pasarela.call.CallFixtures.LOCAL;
import static org.pasarela.call.CallFixtures.T0;

import java.time.Duration;
import java.util.List;
import org.pasarela.call.CallAction.SendToSession;
import org.pasarela.call.CallEvent.MediaAllocated;
import org.pasarela.call.CallEvent.SessionAccepted;
import org.pasarela.call.CallEvent.SipAcked;
import org.pasarela.config.DtmfMode;
import org.pasarela.config.SipProfile;
import org.pasarela.config.SipUri;
import org.pasarela.signaling.Incoming;
import org.pasarela.signaling.ServerMessage;

/**
 * Incoming calls in known states, driven only through events: a Linksys/Cisco SPA ATA calls, Chromium answers
 * (its captured answer with the m= line narrowed to what it would keep of the gateway's offer).
 */
final class IncomingFixtures {
    static final List<String> SESSIONS = List.of("s1", "s2", "s3");
    static final Duration RING = Duration.ofSeconds(60);

    private IncomingFixtures() {}

    static String ataOffer() {
        return CallFixtures.resource("sdp/sip/ata-spa-offer.sdp");
    }

    /** Chromium keeping PCMU and telephone-event/8000 of an offer that numbered them {@code 0} and {@code event}. */
    static String chromiumAnswer(int event) {
        return CallFixtures.resource("sdp/browser/chromium-audio-answer.sdp")
                .replace("m=audio 46771 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
                        "m=audio 46771 UDP/TLS/RTP/SAVPF 0 " + event);
    }

    /** Chromium's answer for the ATA's offer: PCMU 0 and the ATA's telephone-event 101. */
    static String chromiumAnswer() {
        return chromiumAnswer(101);
    }

    static SipProfile profile(DtmfMode dtmf) {
        return SipProfile.builder("pbx", SipUri.parse("sip:192.0.2.1:5060")).dtmf(dtmf).build();
    }

    static IncomingSetup setup(String sipOffer, List<String> sessions, DtmfMode dtmf) {
        return new IncomingSetup("c7", profile(dtmf), "alice", "sip:1000@example.org", "Alice",
                "sip:alice@example.org", sipOffer, RING, sessions);
    }

    static IncomingCall allocating(String sipOffer, List<String> sessions) {
        IncomingCall call = new IncomingCall(setup(sipOffer, sessions, DtmfMode.INFO));
        call.start();
        return call;
    }

    /** 180 sent, {@code incoming} sent to s1, s2, s3. */
    static IncomingCall ringing() {
        return ringing(ataOffer());
    }

    static IncomingCall ringing(String sipOffer) {
        IncomingCall call = allocating(sipOffer, SESSIONS);
        call.handle(new MediaAllocated(LOCAL), T0);
        return call;
    }

    /** s2 accepted; 200 sent, no ACK yet. */
    static IncomingCall accepted() {
        IncomingCall call = ringing();
        call.handle(new SessionAccepted("s2", "a1", chromiumAnswer()), T0);
        return call;
    }

    /** s2 accepted and the ATA ACKed. */
    static IncomingCall confirmed() {
        IncomingCall call = accepted();
        call.handle(new SipAcked(null), T0);
        return call;
    }

    /** The {@code incoming} sent to a session by {@code actions}. */
    static Incoming incomingIn(List<CallAction> actions) {
        return CallFixtures.ofType(actions, SendToSession.class).stream().map(SendToSession::message)
                .filter(Incoming.class::isInstance).map(Incoming.class::cast).findFirst().orElseThrow();
    }

    static List<ServerMessage> sentTo(String session, List<CallAction> actions) {
        return CallFixtures.ofType(actions, SendToSession.class).stream().filter(s -> s.session().equals(session))
                .map(SendToSession::message).toList();
    }
}

package org.pasarela.transport.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pasarela.call.CallEvent;
import org.pasarela.call.CallEvent.SipAcked;
import org.pasarela.call.CallEvent.SipByeCompleted;
import org.pasarela.call.CallEvent.SipByeReceived;
import org.pasarela.call.CallEvent.SipCancelled;
import org.pasarela.call.CallEvent.SipReoffered;
import org.pasarela.config.DidTarget;
import org.pasarela.config.InboundSettings;
import org.pasarela.config.IpNetwork;
import org.pasarela.config.RegistrationSettings;
import org.pasarela.config.SipProfile;
import org.pasarela.config.SipUri;
import org.pasarela.config.Transport;
import org.pasarela.dialplan.InboundRoute;
import org.pasarela.transport.sip.InboundTestEndpoint.Offered;
import org.pasarela.transport.sip.ScriptedCaller.Message;

/**
 * SipEndpoint and SipInboundLeg against a caller scripted in raw SIP over loopback UDP: the UAS side of RFC 3261
 * §13.3, CANCEL (§9.2), the 2xx retransmission until ACK (§13.3.1.4), dialog matching for BYE (§12.2.2) and the
 * router's refusals. One endpoint for the class (stopping a JAIN-SIP stack takes a second); each test is one call.
 */
class SipInboundLegIT {
    private static final String OFFER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    private static final String ANSWER = OFFER.replace("40000", "41000");

    static InboundTestEndpoint sip;
    static SipEndpoint endpoint;
    static int port;
    static BlockingQueue<Offered> offered;
    static BlockingQueue<InboundRoute.Refuse> refused;
    final BlockingQueue<CallEvent> events = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        SipProfile trunk = SipProfile.builder("trunk", SipUri.parse("sip:192.0.2.1"))
                .inbound(new InboundSettings(List.of(IpNetwork.parse("127.0.0.1")),
                        Map.of("100", new DidTarget.User("alice")), List.of()))
                .build();
        SipProfile pbx = SipProfile.builder("pbx", SipUri.parse("sip:127.0.0.1:5999"))
                .registration(new RegistrationSettings("{user}", "pbx.example.org", 600)).build();
        sip = new InboundTestEndpoint(Set.of(Transport.UDP), List.of(trunk, pbx));
        endpoint = sip.endpoint;
        port = sip.port;
        offered = sip.offered;
        refused = sip.refused;
    }

    @AfterAll
    static void stop() {
        sip.close();
    }

    @BeforeEach
    void clear() {
        offered.clear();
        refused.clear();
    }

    private Offered awaitInvite() throws InterruptedException {
        Offered o = offered.poll(3, TimeUnit.SECONDS);
        assertThat(o).as("the handler got the INVITE").isNotNull();
        o.leg().bind(events::add);
        return o;
    }

    private CallEvent nextEvent() throws InterruptedException {
        CallEvent e = events.poll(3, TimeUnit.SECONDS);
        assertThat(e).as("an event within 3 s").isNotNull();
        return e;
    }

    /** INVITE, 100, 180, 200, ACK: the caller's view of an answered call; returns the dialog's To tag. */
    private String answeredCall(ScriptedCaller caller, Offered o) throws Exception {
        o.leg().sendRinging();
        Message ringing = caller.expect(180, "INVITE");
        o.leg().answer(ANSWER);
        Message ok = caller.expect(200, "INVITE");
        assertThat(ok.toTag()).isEqualTo(ringing.toTag());
        caller.ack(ok.toTag(), null);
        assertThat(nextEvent()).isEqualTo(new SipAcked(null));
        return ok.toTag();
    }

    @Test
    void answersTryingRingingAndOkAndEndsOnTheCallersBye() throws Exception {
        try (ScriptedCaller caller = new ScriptedCaller("127.0.0.1", port)) {
            caller.invite("100", "", OFFER);
            Message trying = caller.poll(3000);
            assertThat(trying.status()).isEqualTo(100);
            Offered o = awaitInvite();
            assertThat(o.route()).isInstanceOf(InboundRoute.ToUser.class);
            assertThat(((InboundRoute.ToUser) o.route()).user()).isEqualTo("alice");
            assertThat(o.request().sdp()).isEqualTo(OFFER);
            assertThat(o.request().fromUser()).isEqualTo("600100200");
            assertThat(o.request().fromDisplayName()).isEqualTo("Caller Name");
            assertThat(o.request().sourceAddress()).isEqualTo("127.0.0.1");

            o.leg().sendRinging();
            Message ringing = caller.expect(180, "INVITE");
            assertThat(ringing.toTag()).isNotBlank();
            assertThat(ringing.header("Contact")).contains("127.0.0.1:" + port);
            o.leg().answer(ANSWER);
            Message ok = caller.expect(200, "INVITE");
            assertThat(ok.body()).isEqualTo(ANSWER);
            assertThat(ok.header("Contact")).contains("sip:100@127.0.0.1:" + port);
            caller.ack(ok.toTag(), null);
            assertThat(nextEvent()).isEqualTo(new SipAcked(null));

            caller.bye(ok.toTag(), 2);
            caller.expect(200, "BYE");
            assertThat(nextEvent()).isEqualTo(new SipByeReceived());
            o.leg().forget();
            assertThat(endpoint.activeInboundLegs()).isZero();
        }
    }

    @Test
    void sendsItsOwnByeAndReportsItsCompletion() throws Exception {
        try (ScriptedCaller caller = new ScriptedCaller("127.0.0.1", port)) {
            caller.invite("100", "", OFFER);
            Offered o = awaitInvite();
            String toTag = answeredCall(caller, o);
            o.leg().sendBye();
            Message bye = caller.expectRequest("BYE");
            assertThat(bye.header("From")).contains("tag=" + toTag);
            caller.ok(bye);
            assertThat(nextEvent()).isEqualTo(new SipByeCompleted());
            o.leg().forget();
        }
    }

    @Test
    void answersCancelWithOkAndTheInviteWith487() throws Exception {
        try (ScriptedCaller caller = new ScriptedCaller("127.0.0.1", port)) {
            caller.invite("100", "", OFFER);
            Offered o = awaitInvite();
            o.leg().sendRinging();
            Message ringing = caller.expect(180, "INVITE");
            caller.cancel();
            caller.expect(200, "CANCEL");
            Message terminated = caller.expect(487, "INVITE");
            assertThat(terminated.toTag()).isEqualTo(ringing.toTag());
            caller.ackFailure(terminated.toTag());
            assertThat(nextEvent()).isEqualTo(new SipCancelled());
            o.leg().answer(ANSWER); // the call's answer crossed the CANCEL: too late, nothing is sent
            assertThat(caller.poll(700)).isNull();
            o.leg().forget();
        }
    }

    @Test
    void aRetransmittedInviteCreatesNoSecondCall() throws Exception {
        try (ScriptedCaller caller = new ScriptedCaller("127.0.0.1", port)) {
            caller.invite("100", "", OFFER);
            Offered o = awaitInvite();
            caller.retransmitInvite(OFFER);
            caller.retransmitInvite(OFFER);
            assertThat(offered.poll(700, TimeUnit.MILLISECONDS)).isNull();
            assertThat(endpoint.activeInboundLegs()).isEqualTo(1);
            o.leg().reject(486, null);
            Message busy = caller.expect(486, "INVITE");
            caller.ackFailure(busy.toTag());
            o.leg().forget();
        }
    }

    @Test
    void aRefusalCarriesRetryAfterOnlyWhenTheCallSaysWhen() throws Exception {
        try (ScriptedCaller caller = new ScriptedCaller("127.0.0.1", port)) {
            caller.invite("100", "", OFFER);
            Offered o = awaitInvite();
            o.leg().reject(503, null, 3);
            Message unavailable = caller.expect(503, "INVITE");
            assertThat(unavailable.header("Retry-After")).isEqualTo("3");
            caller.ackFailure(unavailable.toTag());
            o.leg().forget();
        }
        try (ScriptedCaller caller = new ScriptedCaller("127.0.0.1", port)) {
            caller.invite("100", "", OFFER);
            Offered o = awaitInvite();
            o.leg().reject(503, null);
            Message unavailable = caller.expect(503, "INVITE");
            assertThat(unavailable.header("Retry-After")).isNull();
            caller.ackFailure(unavailable.toTag());
            o.leg().forget();
        }
    }

    @Test
    void retransmitsTheOkUntilTheAckArrives() throws Exception {
        try (ScriptedCaller caller = new ScriptedCaller("127.0.0.1", port)) {
            caller.invite("100", "", OFFER);
            Offered o = awaitInvite();
            o.leg().answer(ANSWER);
            // T1 = 500 ms doubling: 200s at about 0, 0.5, 1.5 s (RFC 3261 §13.3.1.4).
            int oks = 0;
            String toTag = null;
            long end = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < end) {
                Message m = caller.poll(200);
                if (m != null && m.status() == 200) {
                    oks++;
                    toTag = m.toTag();
                }
            }
            assertThat(oks).as("200 OKs in 2 s without an ACK").isGreaterThanOrEqualTo(3);
            caller.ack(toTag, null);
            assertThat(nextEvent()).isEqualTo(new SipAcked(null));
            Message after = caller.poll(2500);
            while (after != null && after.status() != 200) {
                after = caller.poll(2500);
            }
            assertThat(after).as("no 200 after the ACK").isNull();
            o.leg().forget();
        }
    }

    @Test
    void refusesAByeWithAnotherToTagWith481() throws Exception {
        try (ScriptedCaller caller = new ScriptedCaller("127.0.0.1", port)) {
            caller.invite("100", "", OFFER);
            Offered o = awaitInvite();
            String toTag = answeredCall(caller, o);
            caller.bye("not" + toTag, 2);
            caller.expect(481, "BYE");
            assertThat(events.poll(500, TimeUnit.MILLISECONDS)).isNull();
            caller.bye(toTag, 3);
            caller.expect(200, "BYE");
            assertThat(nextEvent()).isEqualTo(new SipByeReceived());
            o.leg().forget();
        }
    }

    @Test
    void takesTheCallersAnswerFromTheAckAfterALateOffer() throws Exception {
        try (ScriptedCaller caller = new ScriptedCaller("127.0.0.1", port)) {
            caller.invite("100", "", null);
            Offered o = awaitInvite();
            assertThat(o.request().sdp()).isNull();
            o.leg().answer(OFFER);
            Message ok = caller.expect(200, "INVITE");
            assertThat(ok.body()).isEqualTo(OFFER);
            caller.ack(ok.toTag(), ANSWER);
            assertThat(nextEvent()).isEqualTo(new SipAcked(ANSWER));
            o.leg().forget();
        }
    }

    @Test
    void handsAReInviteToTheCallAndSendsItsAnswer() throws Exception {
        try (ScriptedCaller caller = new ScriptedCaller("127.0.0.1", port)) {
            caller.invite("100", "", OFFER);
            Offered o = awaitInvite();
            String toTag = answeredCall(caller, o);
            String hold = OFFER.replace("a=rtpmap:0 PCMU/8000\r\n", "a=rtpmap:0 PCMU/8000\r\na=sendonly\r\n");
            caller.reInvite(toTag, 2, hold);
            assertThat(nextEvent()).isEqualTo(new SipReoffered(hold));
            o.leg().answerReoffer(200, ANSWER, null);
            Message ok = caller.expect(200, "INVITE");
            assertThat(ok.body()).isEqualTo(ANSWER);
            o.leg().forget();
        }
    }

    @Test
    void sendsItsOwnReInviteAcksThe200AndReAcksItsRetransmission() throws Exception {
        try (ScriptedCaller caller = new ScriptedCaller("127.0.0.1", port)) {
            caller.invite("100", "", OFFER);
            Offered o = awaitInvite();
            String toTag = answeredCall(caller, o);
            String hold = ANSWER.replace("a=rtpmap:0 PCMU/8000\r\n", "a=rtpmap:0 PCMU/8000\r\na=sendonly\r\n");
            o.leg().sendReinvite(hold);
            Message reinvite = caller.expectRequest("INVITE");
            assertThat(reinvite.body()).isEqualTo(hold);
            assertThat(reinvite.header("From")).contains("tag=" + toTag);
            assertThat(reinvite.header("To")).contains("tag=" + caller.fromTag);
            assertThat(reinvite.header("Contact")).contains("127.0.0.1:" + port);
            String recvonly = OFFER.replace("a=rtpmap:0 PCMU/8000\r\n", "a=rtpmap:0 PCMU/8000\r\na=recvonly\r\n");
            caller.respond(reinvite, 200, "OK", recvonly);
            Message ack = caller.expectRequest("ACK");
            assertThat(ack.header("CSeq")).isEqualTo(reinvite.header("CSeq").replace("INVITE", "ACK"));
            assertThat(nextEvent()).isEqualTo(new CallEvent.SipReinviteAnswered(200, recvonly));

            caller.respond(reinvite, 200, "OK", recvonly); // our ACK was "lost"
            assertThat(caller.expectRequest("ACK").header("CSeq")).isEqualTo(ack.header("CSeq"));
            assertThat(events.poll(300, TimeUnit.MILLISECONDS)).isNull();
            o.leg().forget();
        }
    }

    @Test
    void reportsGlareOnItsReInviteToTheCall() throws Exception {
        try (ScriptedCaller caller = new ScriptedCaller("127.0.0.1", port)) {
            caller.invite("100", "", OFFER);
            Offered o = awaitInvite();
            answeredCall(caller, o);
            o.leg().sendReinvite(ANSWER);
            Message reinvite = caller.expectRequest("INVITE");
            caller.respond(reinvite, 491, "Request Pending", null);
            assertThat(nextEvent()).isEqualTo(new CallEvent.SipReinviteAnswered(491, null));
            assertThat(caller.expectRequest("ACK").header("CSeq")).endsWith(" ACK"); // the transaction's own ACK
            o.leg().forget();
        }
    }

    @Test
    void refersTheCallerAndHandsTheNotifysSipfragToTheCall() throws Exception {
        try (ScriptedCaller caller = new ScriptedCaller("127.0.0.1", port)) {
            caller.invite("100", "", OFFER);
            Offered o = awaitInvite();
            String toTag = answeredCall(caller, o);
            o.leg().sendRefer("sip:2000@192.0.2.1:5060");
            Message refer = caller.expectRequest("REFER");
            assertThat(refer.header("Refer-To")).isEqualTo("<sip:2000@192.0.2.1:5060>");
            assertThat(refer.header("Referred-By")).contains("sip:");
            caller.respond(refer, 202, "Accepted", null);
            assertThat(nextEvent()).isEqualTo(new CallEvent.SipReferAccepted());

            caller.notifyRefer(toTag, 2, "SIP/2.0 100 Trying\r\n", "active;expires=60");
            caller.expect(200, "NOTIFY");
            assertThat(nextEvent()).isEqualTo(new CallEvent.SipReferProgress(100, "Trying", false));
            caller.notifyRefer(toTag, 3, "SIP/2.0 200 OK\r\n", "terminated;reason=noresource");
            caller.expect(200, "NOTIFY");
            assertThat(nextEvent()).isEqualTo(new CallEvent.SipReferProgress(200, "OK", true));
            o.leg().forget();
        }
    }

    @Test
    void reportsARefusedReferWithItsCode() throws Exception {
        try (ScriptedCaller caller = new ScriptedCaller("127.0.0.1", port)) {
            caller.invite("100", "", OFFER);
            Offered o = awaitInvite();
            answeredCall(caller, o);
            o.leg().sendRefer("sip:2000@192.0.2.1:5060");
            caller.respond(caller.expectRequest("REFER"), 603, "Decline", null);
            assertThat(nextEvent()).isEqualTo(new CallEvent.SipReferFailed(603, "Decline"));
            o.leg().forget();
        }
    }

    @Test
    void refusesAnInviteFromAnUntrustedAddressWithoutTellingTheHandler() throws Exception {
        try (ScriptedCaller stranger = new ScriptedCaller("127.0.0.2", port)) {
            stranger.invite("100", "", OFFER);
            Message forbidden = stranger.expect(403, "INVITE");
            assertThat(forbidden.reason()).isEqualTo("Forbidden");
            stranger.ackFailure(forbidden.toTag());
            stranger.invite("alice", ";pasarela-user=alice;pasarela-profile=pbx", OFFER);
            assertThat(stranger.expect(403, "INVITE").reason()).isEqualTo("Forbidden");
        }
        assertThat(offered.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(refused).hasSize(2).allSatisfy(r -> assertThat(r.forbidden()).isTrue());
        assertThat(endpoint.activeInboundLegs()).isZero();
    }

    @Test
    void answersNotFoundForAnUnknownNumberFromATrustedTrunk() throws Exception {
        try (ScriptedCaller caller = new ScriptedCaller("127.0.0.1", port)) {
            caller.invite("999", "", OFFER);
            assertThat(caller.expect(404, "INVITE").reason()).isEqualTo("Not Found");
        }
        assertThat(offered.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void ringsARegisteredUserWhenTheInviteComesFromItsProxy() throws Exception {
        long end = System.nanoTime() + 3_000_000_000L;
        while (!endpoint.proxyAddresses().containsKey("pbx") && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(endpoint.proxyAddresses()).containsEntry("pbx", Set.of("127.0.0.1"));
        try (ScriptedCaller proxy = new ScriptedCaller("127.0.0.1", port)) {
            proxy.invite("alice", ";pasarela-user=alice;pasarela-profile=pbx", OFFER);
            Offered o = awaitInvite();
            assertThat(o.route()).isInstanceOf(InboundRoute.ToUser.class);
            assertThat(((InboundRoute.ToUser) o.route()).profile().name()).isEqualTo("pbx");
            assertThat(o.request().requestUriParams()).containsEntry("pasarela-user", "alice");
            o.leg().forget();
            assertThat(proxy.expect(480, "INVITE")).isNotNull();
        }
    }
}

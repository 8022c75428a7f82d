package org.pasarela.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pasarela.call.CallFixtures.T0;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.pasarela.auth.Authenticator;
import org.pasarela.auth.RemoteAddress;
import org.pasarela.auth.SecurityEvent;
import org.pasarela.call.CallAction.SendRefer;
import org.pasarela.call.CallAction.SendReinvite;
import org.pasarela.call.CallAction.SendToBrowser;
import org.pasarela.call.CallAction.ToIncomingCall;
import org.pasarela.call.CallEvent.MediaAllocated;
import org.pasarela.call.CallEvent.SipAnswered;
import org.pasarela.config.RewriteRule;
import org.pasarela.config.SipProfile;
import org.pasarela.config.SipUri;
import org.pasarela.fraud.CallGuard;
import org.pasarela.fraud.CallLimiter;
import org.pasarela.fraud.CallRules;
import org.pasarela.fraud.NumberPlan;
import org.pasarela.signaling.CallRequest;
import org.pasarela.signaling.ErrorMessage;
import org.pasarela.signaling.HoldRequest;
import org.pasarela.signaling.Incoming;
import org.pasarela.signaling.Jsep;
import org.pasarela.signaling.LoginRequest;
import org.pasarela.signaling.TransferRequest;

/**
 * Transfer targets as the session judges them: dialled through the call's own profile and held to the same
 * toll-fraud number rules as a call, for outbound and incoming calls; hold requests routed to the right call.
 */
class SessionTransferTest {
    private static final RemoteAddress FROM = new RemoteAddress("192.0.2.7", 50312);
    private final AtomicInteger ids = new AtomicInteger();
    private final List<SecurityEvent> events = new ArrayList<>();
    /** Numbers starting with 9 are sent abroad as 0044 9...: the rules must see the rewritten number. */
    private final SipProfile trunk = SipProfile.builder("trunk", SipUri.parse("sip:192.0.2.1:5060"))
            .rewrites(List.of(RewriteRule.of("9(.*)", "0044$1"))).build();
    private final CallGuard guard = new CallGuard(new CallGuard.Settings(
            new NumberPlan(Optional.of("34"), "", List.of("+", "00"), List.of("+449", "+34806")),
            new CallRules(Optional.empty(), Optional.empty(), List.of(), List.of(), 1, 3),
            Map.of("basic", new CallRules(Optional.of("basic"), Optional.of(Set.of("trunk")), List.of(),
                    List.of(Pattern.compile("118.*")), 1, 3)),
            Map.of("alice", "basic"), Optional.empty()), new CallLimiter(), events::add);
    private final SessionPolicy policy = new SessionPolicy(Authenticator.withPlainPasswords(Map.of("alice", "a")),
            Map.of("trunk", trunk), Optional.of("trunk"), 8, Duration.ofSeconds(60), Map.of(), guard,
            Optional.empty(), false);

    private Session answeredCall() {
        Session session = new Session(policy, () -> "c" + ids.incrementAndGet(), "s1", FROM);
        session.onMessage(new LoginRequest("l", "alice", "a"), T0);
        session.onMessage(new CallRequest("1", "1000", null, new Jsep("offer", CallFixtures.chromiumOffer())), T0);
        session.onCallEvent("c1", new MediaAllocated(CallFixtures.LOCAL), T0);
        session.onCallEvent("c1", new SipAnswered(CallFixtures.asteriskAnswer()), T0);
        return session;
    }

    private static ErrorMessage onlyError(List<Command> commands) {
        assertThat(commands).hasSize(1);
        return (ErrorMessage) ((SendToBrowser) commands.get(0).action()).message();
    }

    @Test
    void refersToTheTargetAsTheCallsProfileRewritesIt() {
        Session session = answeredCall();
        List<Command> out = session.onMessage(new TransferRequest("t1", "c1", "1 002"), T0);
        assertThat(out).containsExactly(new Command("c1", new SendRefer(SipUri.parse("sip:1002@192.0.2.1:5060"))));
    }

    @Test
    void refusesATargetTheNumberRulesDenyWith403AndReportsIt() {
        Session session = answeredCall();
        ErrorMessage error = onlyError(session.onMessage(new TransferRequest("t1", "c1", "9123456"), T0));
        assertThat(error).isEqualTo(new ErrorMessage("t1", "c1", 403,
                "transfer: 0044123456 is an international number (not allowed for group basic)"));
        assertThat(events).hasSize(1);
        assertThat(events.get(0).reason()).contains("transfer: ");
        assertThat(session.call("c1").state()).isEqualTo(CallState.ANSWERED);
    }

    @Test
    void aTransferIsNotCountedAgainstTheConcurrentCallLimit() {
        Session session = answeredCall(); // the group allows one call at a time, and this is it
        assertThat(session.onMessage(new TransferRequest("t1", "c1", "1002"), T0).get(0).action())
                .isInstanceOf(SendRefer.class);
    }

    @Test
    void refusesATargetThatCannotBeDialledWith400() {
        Session session = answeredCall();
        ErrorMessage error = onlyError(session.onMessage(new TransferRequest("t1", "c1", "sip:x@evil.example"), T0));
        assertThat(error.code()).isEqualTo(400);
        assertThat(error.reason()).isEqualTo("transfer: to: profile 'trunk' does not allow SIP URIs");
    }

    @Test
    void refusesATransferOfAnUnknownCallWith404() {
        Session session = answeredCall();
        assertThat(onlyError(session.onMessage(new TransferRequest("t1", "c9", "1002"), T0)).code()).isEqualTo(404);
    }

    @Test
    void sendsHoldToTheOutboundCall() {
        Session session = answeredCall();
        List<Command> out = session.onMessage(new HoldRequest("h1", "c1", true), T0);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).action()).isInstanceOf(SendReinvite.class);
    }

    @Test
    void routesHoldAndTransferOfAnAcceptedIncomingCallToItsLaneWithTheTargetResolvedByItsProfile() {
        Session session = new Session(policy, () -> "c" + ids.incrementAndGet(), "s1", FROM);
        session.onMessage(new LoginRequest("l", "alice", "a"), T0);
        session.fromIncomingCall("c7", new Incoming("c7", "sip:1000@example.org", null, "sip:alice@example.org",
                "trunk", Jsep.offer(CallFixtures.chromiumOffer())));

        assertThat(session.onMessage(new HoldRequest("h1", "c7", true), T0)).containsExactly(
                new Command("c7", new ToIncomingCall(new CallEvent.SessionHold("s1", "h1", true))));
        assertThat(session.onMessage(new TransferRequest("t1", "c7", "1002"), T0)).containsExactly(
                new Command("c7", new ToIncomingCall(new CallEvent.SessionTransfer("s1", "t1",
                        SipUri.parse("sip:1002@192.0.2.1:5060")))));
        assertThat(onlyError(session.onMessage(new TransferRequest("t2", "c7", "118118"), T0)).code())
                .isEqualTo(403);
    }
}

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
import org.pasarela.call.CallAction.AllocateMedia;
import org.pasarela.call.CallAction.SendToBrowser;
import org.pasarela.call.CallEvent.MediaAllocated;
import org.pasarela.call.CallEvent.SipProvisional;
import org.pasarela.config.RewriteRule;
import org.pasarela.config.SipProfile;
import org.pasarela.config.SipUri;
import org.pasarela.fraud.CallGuard;
import org.pasarela.fraud.CallLimiter;
import org.pasarela.fraud.CallRules;
import org.pasarela.fraud.NumberPlan;
import org.pasarela.signaling.Ack;
import org.pasarela.signaling.CallRequest;
import org.pasarela.signaling.ErrorMessage;
import org.pasarela.signaling.Jsep;
import org.pasarela.signaling.LoginRequest;

/** The toll-fraud guard as a session sees it: refusals before anything is allocated, slots freed on every end. */
class SessionCallGuardTest {
    private static final RemoteAddress FROM = new RemoteAddress("192.0.2.7", 50312);
    private final AtomicInteger ids = new AtomicInteger();
    private final List<SecurityEvent> events = new ArrayList<>();
    /** Numbers starting with 9 are sent abroad as 0044 9...: the rules must see the rewritten number. */
    private final SipProfile trunk = SipProfile.builder("trunk", SipUri.parse("sip:192.0.2.1:5060"))
            .rewrites(List.of(RewriteRule.of("9(.*)", "0044$1"))).allowSipUris(true).build();
    private final SipProfile echo = SipProfile.builder("echo", SipUri.parse("sip:echo@127.0.0.1:5098")).build();
    private final SipProfile other = SipProfile.builder("other", SipUri.parse("sip:192.0.2.3")).build();
    private final CallGuard guard = new CallGuard(new CallGuard.Settings(
            new NumberPlan(Optional.of("34"), "", List.of("+", "00"), List.of("+449", "+34806")),
            new CallRules(Optional.empty(), Optional.empty(), List.of(), List.of(), 2, 3),
            Map.of("basic", new CallRules(Optional.of("basic"), Optional.of(Set.of("trunk", "echo")), List.of(),
                    List.of(Pattern.compile("118.*")), 2, 3),
                    "noecho", new CallRules(Optional.of("noecho"), Optional.of(Set.of("trunk")), List.of(), List.of(),
                            2, 3)),
            Map.of("alice", "basic", "nina", "noecho"), Optional.of("echo")), new CallLimiter(), events::add);
    private final SessionPolicy policy = new SessionPolicy(
            Authenticator.withPlainPasswords(Map.of("alice", "a", "nina", "n")),
            Map.of("trunk", trunk, "echo", echo, "other", other), Optional.of("trunk"), 8, Duration.ofSeconds(60),
            Map.of(), guard, Optional.empty(), false);

    private Session loggedIn(String user, String password) {
        Session session = new Session(policy, () -> "c" + ids.incrementAndGet(), "s-" + user, FROM);
        session.onMessage(new LoginRequest("l", user, password), T0);
        return session;
    }

    private static CallRequest call(String id, String to, String profile) {
        return new CallRequest(id, to, profile, new Jsep("offer", CallFixtures.chromiumOffer()));
    }

    private static ErrorMessage refusal(List<Command> commands) {
        assertThat(commands).hasSize(1);
        assertThat(commands.get(0).callId()).isNull();
        return (ErrorMessage) ((SendToBrowser) commands.get(0).action()).message();
    }

    @Test
    void refusesAPremiumRateNumberWith403BeforeAnyMediaAndReportsIt() {
        Session alice = loggedIn("alice", "a");
        ErrorMessage error = refusal(alice.onMessage(call("1", "+449012345678", null), T0));
        assertThat(error).isEqualTo(new ErrorMessage("1", null, 403,
                "call: +449012345678 matches premium-rate prefix +449 (not allowed for group basic)"));
        assertThat(alice.callCount()).isZero();
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(SecurityEvent.Type.CallRefused);
            assertThat(event.remote()).isEqualTo(FROM);
            assertThat(event.account()).isEqualTo("alice");
        });
    }

    @Test
    void checksTheNumberAfterTheProfilesRewrite() {
        Session alice = loggedIn("alice", "a");
        assertThat(refusal(alice.onMessage(call("1", "9201234567", null), T0)).reason())
                .isEqualTo("call: 0044201234567 is an international number (not allowed for group basic)");
    }

    @Test
    void decodesAPercentEncodedSipUriUserBeforeChecking() {
        Session alice = loggedIn("alice", "a");
        assertThat(refusal(alice.onMessage(call("1", "sip:%2B449012345678@192.0.2.1", null), T0)).reason())
                .isEqualTo("call: +449012345678 matches premium-rate prefix +449 (not allowed for group basic)");
    }

    @Test
    void refusesAProfileOutsideTheGroupAndLeavesItOutOfTheLoginAck() {
        Session nina = new Session(policy, () -> "c" + ids.incrementAndGet(), "s-nina", FROM);
        assertThat(nina.onMessage(new LoginRequest("l", "nina", "n"), T0).get(0)).isEqualTo(
                new Command(null, new SendToBrowser(new Ack("l", null, List.of("trunk"), "trunk"))));
        assertThat(refusal(nina.onMessage(call("1", "1000", "echo"), T0)).reason())
                .isEqualTo("call: profile 'echo' is not allowed for group noecho");
        Session alice = loggedIn("alice", "a");
        assertThat(refusal(alice.onMessage(call("1", "1000", "other"), T0)).reason())
                .isEqualTo("call: profile 'other' is not allowed for group basic");
    }

    @Test
    void countsTheUsersCallsOverAllTheirSessionsAndFreesTheSlotWhenACallFails() {
        Session first = loggedIn("alice", "a");
        Session second = loggedIn("alice", "a");
        assertThat(first.onMessage(call("1", "1000", null), T0)).containsExactly(new Command("c1", new AllocateMedia()));
        assertThat(second.onMessage(call("1", "1001", null), T0)).containsExactly(new Command("c2", new AllocateMedia()));
        assertThat(refusal(first.onMessage(call("2", "1002", null), T0)).reason())
                .isEqualTo("call: 2 calls already in progress (limit 2)");
        first.onCallEvent("c1", new MediaAllocated(CallFixtures.LOCAL), T0);
        first.onCallEvent("c1", new CallEvent.SipFailed(486, "Busy Here"), T0);
        assertThat(guard.limiter().active("alice")).isEqualTo(1);
        assertThat(second.onMessage(call("2", "1002", null), T0)).containsExactly(new Command("c3", new AllocateMedia()));
    }

    @Test
    void freesTheSlotOfAnAbortedCall() {
        Session alice = loggedIn("alice", "a");
        alice.onMessage(call("1", "1000", null), T0);
        alice.abort("c1", "internal error");
        assertThat(guard.limiter().active("alice")).isZero();
    }

    @Test
    void aClosedWebSocketsCallsHoldTheirSlotsUntilTheyHaveEnded() {
        Session alice = loggedIn("alice", "a");
        alice.onMessage(call("1", "1000", null), T0);
        alice.onCallEvent("c1", new MediaAllocated(CallFixtures.LOCAL), T0);
        alice.onCallEvent("c1", new SipProvisional(180, "Ringing", null), T0);
        alice.onClosed(T0);
        assertThat(guard.limiter().active("alice")).isEqualTo(1);
        alice.onCallEvent("c1", new CallEvent.SipFailed(487, "Request Terminated"), T0);
        assertThat(alice.callCount()).isZero();
        assertThat(guard.limiter().active("alice")).isZero();
    }

    @Test
    void refusesTheCallOverThePerMinuteLimitWithTheReason() {
        Session alice = loggedIn("alice", "a");
        for (int i = 0; i < 3; i++) {
            String callId = alice.onMessage(call("r" + i, "1000", null), T0).get(0).callId();
            alice.abort(callId, "test: end the call at once");
        }
        assertThat(guard.limiter().active("alice")).isZero();
        assertThat(refusal(alice.onMessage(call("4", "1000", null), T0)).reason())
                .isEqualTo("call: more than 3 calls in the last minute");
        assertThat(alice.onMessage(call("5", "1000", null), T0.plusSeconds(60)))
                .containsExactly(new Command("c4", new AllocateMedia()));
    }

    @Test
    void callsToTheBuiltInEchoAreNeitherCheckedNorCounted() {
        Session alice = loggedIn("alice", "a");
        for (int i = 0; i < 5; i++) {
            assertThat(alice.onMessage(call("e" + i, "+449012345678", "echo"), T0)).hasSize(1)
                    .allSatisfy(command -> assertThat(command.action()).isEqualTo(new AllocateMedia()));
        }
        assertThat(guard.limiter().active("alice")).isZero();
        assertThat(events).isEmpty();
    }
}

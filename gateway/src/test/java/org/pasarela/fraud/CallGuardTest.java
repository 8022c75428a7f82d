package org.pasarela.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.pasarela.auth.RemoteAddress;
import org.pasarela.auth.SecurityEvent;

class CallGuardTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final RemoteAddress FROM = new RemoteAddress("192.0.2.7", 50312);
    private static final NumberPlan PLAN = new NumberPlan(Optional.of("34"), "", List.of("+", "00"),
            List.of("+449", "+34806", "+34905"));

    private final List<SecurityEvent> events = new ArrayList<>();
    private final CallRules basic = new CallRules(Optional.of("basic"), Optional.of(Set.of("trunk", "echo")),
            List.of(), List.of(Pattern.compile("118.*")), 3, 10);
    private final CallRules sales = new CallRules(Optional.of("sales"), Optional.of(Set.of("trunk")),
            List.of(Pattern.compile("[+]44[1-9].*"), Pattern.compile("[+]4490.*")), List.of(Pattern.compile("[+]4490[0-4].*")), 0, 0);
    private final CallRules defaults = new CallRules(Optional.empty(), Optional.empty(), List.of(), List.of(), 1, 2);
    private final CallGuard guard = new CallGuard(new CallGuard.Settings(PLAN, defaults,
            Map.of("basic", basic, "sales", sales), Map.of("alice", "basic", "sam", "sales"), Optional.of("echo")),
            new CallLimiter(), events::add);

    private CallGuard.Admission admit(String user, String profile, String number) {
        return guard.admit(new CallGuard.Attempt(user, "s7", FROM, profile, number), T0);
    }

    private String refusal(String user, String profile, String number) {
        CallGuard.Admission admission = admit(user, profile, number);
        assertThat(admission).isInstanceOf(CallGuard.Refused.class);
        return ((CallGuard.Refused) admission).reason();
    }

    @Test
    void refusesAPremiumRateNumberNamingThePrefixAndTheGroup() {
        assertThat(refusal("alice", "trunk", "+449012345678"))
                .isEqualTo("+449012345678 matches premium-rate prefix +449 (not allowed for group basic)");
        assertThat(refusal("alice", "trunk", "806123456"))
                .isEqualTo("806123456 matches premium-rate prefix +34806 (not allowed for group basic)");
    }

    @Test
    void refusesAnInternationalNumberButNotAHomeNumberInInternationalForm() {
        assertThat(refusal("alice", "trunk", "0033142345678"))
                .isEqualTo("0033142345678 is an international number (not allowed for group basic)");
        assertThat(admit("alice", "trunk", "+34912345678")).isInstanceOf(CallGuard.Admitted.class);
    }

    @Test
    void allowPatternsLetInternationalAndPremiumNumbersThroughButDenyWins() {
        assertThat(admit("sam", "trunk", "+442071234567")).isInstanceOf(CallGuard.Admitted.class);
        assertThat(admit("sam", "trunk", "+449091234567")).isInstanceOf(CallGuard.Admitted.class);
        assertThat(refusal("sam", "trunk", "+449031234567"))
                .isEqualTo("+449031234567 matches denied pattern [+]4490[0-4].* (group sales)");
        assertThat(refusal("sam", "trunk", "+33142345678"))
                .isEqualTo("+33142345678 is an international number (not allowed for group sales)");
    }

    @Test
    void denyPatternsMatchTheWholeNumber() {
        assertThat(refusal("alice", "trunk", "118118")).isEqualTo("118118 matches denied pattern 118.* (group basic)");
        assertThat(admit("alice", "trunk", "9118")).isInstanceOf(CallGuard.Admitted.class);
    }

    @Test
    void refusesAProfileTheGroupDoesNotList() {
        assertThat(refusal("alice", "other", "1000")).isEqualTo("profile 'other' is not allowed for group basic");
        assertThat(refusal("sam", "echo", "echo")).isEqualTo("profile 'echo' is not allowed for group sales");
        assertThat(guard.mayUse("sam", "echo")).isFalse();
        assertThat(guard.mayUse("bob", "anything")).isTrue();
    }

    @Test
    void usersWithoutAGroupGetTheDefaultRules() {
        assertThat(refusal("bob", "trunk", "+449012345678"))
                .isEqualTo("+449012345678 matches premium-rate prefix +449 (not allowed for users without a group)");
        assertThat(admit("bob", "other", "1000")).isInstanceOf(CallGuard.Admitted.class);
        assertThat(refusal("bob", "other", "1001")).isEqualTo("1 call already in progress (limit 1)");
    }

    @Test
    void refusesTheCallBeyondTheGroupsConcurrentLimitAndAdmitsOneOnceACallIsReleased() {
        List<CallGuard.Admitted> up = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            up.add((CallGuard.Admitted) admit("alice", "trunk", "91234567" + i));
        }
        assertThat(refusal("alice", "trunk", "912345679")).isEqualTo("3 calls already in progress (limit 3)");
        up.get(0).release();
        assertThat(admit("alice", "trunk", "912345679")).isInstanceOf(CallGuard.Admitted.class);
    }

    @Test
    void refusesTheCallOverThePerMinuteLimit() {
        for (int i = 0; i < 10; i++) {
            ((CallGuard.Admitted) admit("alice", "trunk", "912345678")).release();
        }
        assertThat(refusal("alice", "trunk", "912345678")).isEqualTo("more than 10 calls in the last minute");
        assertThat(guard.admit(new CallGuard.Attempt("alice", "s7", FROM, "trunk", "912345678"),
                T0.plusSeconds(60))).isInstanceOf(CallGuard.Admitted.class);
    }

    @Test
    void callsToTheBuiltInEchoSkipNumberRulesAndLimits() {
        for (int i = 0; i < 20; i++) {
            assertThat(admit("alice", "echo", "+449012345678"))
                    .isEqualTo(new CallGuard.Admitted(Optional.empty()));
        }
        assertThat(guard.limiter().active("alice")).isZero();
    }

    @Test
    void reportsEachRefusalAsACallRefusedEventWithTheSourceAddress() {
        admit("alice", "trunk", "+449012345678");
        admit("alice", "trunk", "912345678");
        assertThat(events).hasSize(1);
        SecurityEvent event = events.get(0);
        assertThat(event.type()).isEqualTo(SecurityEvent.Type.CallRefused);
        assertThat(event.toLogLine()).startsWith("SecurityEvent=\"CallRefused\",")
                .contains(",AccountID=\"alice\",SessionID=\"s7\",RemoteAddress=\"IPV4/WS/192.0.2.7/50312\","
                        + "Reason=\"profile trunk: +449012345678 matches premium-rate prefix +449 (not allowed for "
                        + "group basic)\"");
    }

    @Test
    void unrestrictedGuardAdmitsEverythingWithoutCounting() {
        CallGuard open = CallGuard.unrestricted();
        for (int i = 0; i < 100; i++) {
            assertThat(open.admit(new CallGuard.Attempt("alice", "s1", FROM, "trunk", "+449012345678"), T0))
                    .isInstanceOf(CallGuard.Admitted.class);
        }
    }

    @Test
    void refusesAUserInAGroupWithoutRules() {
        assertThatThrownBy(() -> new CallGuard.Settings(PLAN, defaults, Map.of(), Map.of("alice", "basic"),
                Optional.empty())).hasMessage("user 'alice' is in group 'basic', which has no rules");
    }

    @Test
    void readsTheNumberAsTheFarEndWouldDecodeIt() {
        assertThat(CallGuard.dialledNumber("%2B449012345678")).isEqualTo("+449012345678");
        assertThat(CallGuard.dialledNumber("+44-90-1234.5678")).isEqualTo("+449012345678");
        assertThat(CallGuard.dialledNumber("%23123%2")).isEqualTo("#123%2");
        assertThat(CallGuard.dialledNumber("alice.smith")).isEqualTo("alice.smith");
    }
}

package org.pasarela.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pasarela.fraud.CallGuard;
import org.pasarela.fraud.CallRules;
import org.pasarela.fraud.NumberPlan;

class CallRulesLoadingTest {
    @TempDir
    Path root;
    ConfigFixture fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigFixture(root);
        fx.profile("trunk", "proxy = sip:192.0.2.1");
    }

    private static List<String> patterns(List<Pattern> patterns) {
        return patterns.stream().map(Pattern::pattern).toList();
    }

    @Test
    void defaultsDenyInternationalAndKnownPremiumRangesAndLimitUsersToFourCallsAndTenAMinute() {
        CallGuard.Settings rules = fx.load().callRules();
        assertThat(rules.plan()).isEqualTo(new NumberPlan(Optional.empty(), "0", List.of("+", "00"), List.of(
                "+1900", "+1976", "+449", "+44871", "+44872", "+44873", "+34803", "+34806", "+34807", "+34905")));
        assertThat(rules.defaults()).isEqualTo(new CallRules(Optional.empty(), Optional.empty(), List.of(), List.of(),
                4, 10));
        assertThat(rules.groups()).isEmpty();
        assertThat(rules.freeProfile()).contains("echo");
    }

    @Test
    void readsGroupsAndTheirMembersAndToleratesInboundRingingGroups() {
        fx.gateway("dialplan.country-code = 34", "dialplan.national-prefix =", "dialplan.premium-prefixes = 806,+449",
                "call.max-concurrent-per-user = 2", "call.max-per-minute-per-user = 0",
                "groups.basic.profiles = echo, trunk", "groups.basic.deny = 118.* 070.*",
                "groups.sales.allow = [+]44[1-7][0-9]{8,9} [+]351.*", "groups.sales.max-calls-per-minute = 30",
                "groups.support.members = alice,bob",
                "users.alice.password = a", "users.alice.group = basic", "users.token-user.group = sales");
        CallGuard.Settings rules = fx.load().callRules();
        assertThat(rules.plan()).isEqualTo(new NumberPlan(Optional.of("34"), "", List.of("+", "00"),
                List.of("806", "+449")));
        assertThat(rules.defaults()).isEqualTo(new CallRules(Optional.empty(), Optional.empty(), List.of(), List.of(),
                2, 0));
        CallRules basic = rules.groups().get("basic");
        assertThat(basic.profiles()).contains(Set.of("echo", "trunk"));
        assertThat(patterns(basic.deny())).containsExactly("118.*", "070.*");
        assertThat(basic.maxConcurrentCalls()).isEqualTo(2);
        CallRules sales = rules.groups().get("sales");
        assertThat(sales.profiles()).isEmpty();
        assertThat(patterns(sales.allow())).containsExactly("[+]44[1-7][0-9]{8,9}", "[+]351.*");
        assertThat(sales.maxCallsPerMinute()).isEqualTo(30);
        assertThat(rules.groups()).containsOnlyKeys("basic", "sales");
        assertThat(rules.userGroups()).containsEntry("alice", "basic").containsEntry("token-user", "sales");
    }

    @Test
    void aGroupNamedDefaultHoldsTheRulesOfUsersWithoutAGroup() {
        fx.gateway("groups.default.allow = [+]33.*", "groups.default.max-concurrent-calls = 1");
        CallRules defaults = fx.load().callRules().defaults();
        assertThat(defaults.group()).contains("default");
        assertThat(patterns(defaults.allow())).containsExactly("[+]33.*");
        assertThat(defaults.maxConcurrentCalls()).isEqualTo(1);
        assertThat(defaults.maxCallsPerMinute()).isEqualTo(10);
    }

    @Test
    void anEmptyProfileListAllowsNoProfileAndEmptyPrefixListsDisableTheClasses() {
        fx.gateway("groups.locked.profiles =", "dialplan.international-prefixes =", "dialplan.premium-prefixes =");
        CallGuard.Settings rules = fx.load().callRules();
        assertThat(rules.groups().get("locked").profiles()).contains(Set.of());
        assertThat(rules.plan().internationalPrefixes()).isEmpty();
        assertThat(rules.plan().premiumPrefixes()).isEmpty();
    }

    @Test
    void anEchoProfilePointingElsewhereIsNotFree() {
        fx.profile("echo", "proxy = sip:echo@192.0.2.9");
        assertThat(fx.load().callRules().freeProfile()).isEmpty();
        assertThat(new ConfigFixture(root.resolve("off")).load("echo.enabled=false").callRules().freeProfile())
                .isEmpty();
    }

    @Test
    void refusesAUserInAGroupWithoutRulesNamingTheGroups() {
        fx.gateway("groups.basic.deny = 118.*", "users.alice.password = a", "users.alice.group = sales");
        assertThatThrownBy(fx::load).isInstanceOf(ConfigException.class).hasMessage(fx.gatewayFile()
                + ": users.alice.group = 'sales': expected a group with rules (groups.sales.profiles, .allow, .deny, "
                + ".max-concurrent-calls or .max-calls-per-minute); configured: basic");
    }

    @Test
    void refusesAGroupWithOnlyMembersAsACallGroup() {
        fx.gateway("groups.support.members = alice", "users.alice.password = a", "users.alice.group = support");
        assertThatThrownBy(fx::load).hasMessageContaining("users.alice.group = 'support': expected a group with rules")
                .hasMessageEndingWith("none is configured");
    }

    @Test
    void refusesAnUnknownGroupKeyWithASuggestion() {
        fx.gateway("groups.basic.profile = trunk");
        assertThatThrownBy(fx::load).hasMessage(fx.gatewayFile() + ": groups.basic.profile = 'trunk': unknown group "
                + "key; a group has profiles, allow, deny, max-concurrent-calls, max-calls-per-minute, members; did you "
                + "mean 'profiles'?");
    }

    @Test
    void refusesAGroupNameWithADot() {
        assertThatThrownBy(() -> fx.load("groups.a.b.profiles=trunk")).hasMessage("--set groups.a.b.profiles = "
                + "'trunk': expected groups.NAME.KEY with a group name matching [A-Za-z0-9_-]{1,64}");
    }

    @Test
    void refusesAnUnknownProfileInAGroup() {
        assertThatThrownBy(() -> fx.load("groups.basic.profiles=trunk,pstn")).hasMessage("--set groups.basic.profiles"
                + " = 'trunk,pstn': expected a comma-separated list of profile names (known: echo, trunk), or nothing "
                + "for none; 'pstn' does not exist");
    }

    @Test
    void refusesABadRegularExpressionSayingHowToWriteAPlus() {
        assertThatThrownBy(() -> fx.load("groups.sales.allow=+44.*")).hasMessage("--set groups.sales.allow = '+44.*': "
                + "expected whitespace-separated Java regular expressions matched against the whole dialled number "
                + "(write a literal + as [+]); '+44.*': Dangling meta character '+' near index 0");
    }

    @Test
    void refusesBadLimitsAndPrefixes() {
        assertThatThrownBy(() -> fx.load("call.max-concurrent-per-user=-1")).hasMessage("--set "
                + "call.max-concurrent-per-user = '-1': expected a number of calls 0-100000 (0 = no limit)");
        assertThatThrownBy(() -> fx.load("groups.a.max-calls-per-minute=lots")).hasMessage("--set "
                + "groups.a.max-calls-per-minute = 'lots': expected a number of calls 0-100000 (0 = no limit)");
        assertThatThrownBy(() -> fx.load("dialplan.country-code=+34")).hasMessage("--set dialplan.country-code = "
                + "'+34': expected a country calling code of 1-3 digits without + or 00, such as 34, 44 or 1, or "
                + "nothing");
        assertThatThrownBy(() -> fx.load("dialplan.premium-prefixes=+449,09x")).hasMessageStartingWith("--set "
                + "dialplan.premium-prefixes = '+449,09x': expected a comma-separated list of premium-rate prefixes")
                .hasMessageEndingWith("; '09x' is not one");
        assertThatThrownBy(() -> fx.load("dialplan.international-prefixes=+,00,+")).hasMessageEndingWith(
                "; '+' is listed twice");
        assertThatThrownBy(() -> fx.load("dialplan.national-prefix=O")).hasMessage("--set dialplan.national-prefix "
                + "= 'O': expected the trunk prefix of national numbers, 0-4 digits (0 in most of Europe, 1 in NANP, "
                + "nothing in Spain)");
    }
}

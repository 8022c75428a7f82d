package org.pasarela.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistrationConfigTest {
    @TempDir
    Path root;
    ConfigFixture fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigFixture(root);
    }

    private SipProfile pbx(String... lines) {
        String[] all = new String[lines.length + 1];
        all[0] = "proxy = sip:192.0.2.10:5060";
        System.arraycopy(lines, 0, all, 1, lines.length);
        return fx.profile("pbx", all).load().profiles().get("pbx");
    }

    @Test
    void registersNobodyByDefault() {
        assertThat(pbx().registration()).isEmpty();
    }

    @Test
    void defaultsToTheWebUserAtTheProfileDomainForTenMinutes() {
        SipProfile profile = pbx("domain = pbx.example.org", "register = true");
        assertThat(profile.registration()).contains(new RegistrationSettings("{user}", "pbx.example.org", 600));
        assertThat(profile.registration().orElseThrow().userFor("alice")).isEqualTo("alice");
    }

    @Test
    void readsEveryRegistrationKey() {
        SipProfile profile = pbx("register = true", "register.user = web-{user}", "register.domain = example.org",
                "register.expires = 10");
        assertThat(profile.registration()).contains(new RegistrationSettings("web-{user}", "example.org", 10));
    }

    @Test
    void checksRegistrationKeysEvenWhileRegisterIsFalse() {
        assertThat(pbx("register = false", "register.expires = 60").registration()).isEmpty();
        assertThatThrownBy(() -> pbx("register.expires = soon"))
                .hasMessage(fx.profileFile("pbx") + ": register.expires = 'soon': expected seconds 5-86400");
    }

    @Test
    void refusesExpiriesOutsideFiveSecondsToADay() {
        assertThatThrownBy(() -> pbx("register = true", "register.expires = 3"))
                .hasMessageEndingWith("register.expires = '3': expected seconds 5-86400");
    }

    @Test
    void refusesUnknownPlaceholdersInTheRegistrationUser() {
        assertThatThrownBy(() -> pbx("register = true", "register.user = {name}"))
                .hasMessageEndingWith("register.user = '{name}': unknown placeholder; only {user} is supported");
    }

    @Test
    void sharedCredentialsFillInTheUserAndPerUserPasswordsWin() {
        SipProfile profile = pbx("register = true", "auth.username = {user}", "auth.password = shared");
        assertThat(profile.credentialsFor("alice", Optional.empty()))
                .contains(new Credentials("alice", "shared", Optional.empty()));
        assertThat(profile.credentialsFor("bob", Optional.of("own")))
                .contains(new Credentials("bob", "own", Optional.empty()));
    }

    @Test
    void perUserPasswordWithoutSharedCredentialsAuthenticatesAsTheRegistrationUser() {
        SipProfile profile = pbx("register = true", "register.user = 10{user}");
        assertThat(profile.credentialsFor("01", Optional.of("pw")))
                .contains(new Credentials("1001", "pw", Optional.empty()));
        assertThat(profile.credentialsFor("01", Optional.empty())).isEmpty();
        assertThat(profile.forUser("01", Optional.of("pw")).credentials())
                .contains(new Credentials("1001", "pw", Optional.empty()));
    }

    @Test
    void readsPerUserSipPasswordsNextToLoginPasswords() {
        GatewayConfig config = fx.gateway("users.alice.password = web", "users.alice.sip-password = sip",
                "users.bob.password = web2").load().gateway();
        assertThat(config.users()).isEqualTo(Map.of("alice", "web", "bob", "web2"));
        assertThat(config.sipPasswords()).isEqualTo(Map.of("alice", "sip"));
        assertThat(config.toString()).doesNotContain("sip,").doesNotContain("=sip").contains("sipPasswords=[alice]");
    }

    @Test
    void refusesASipPasswordForSomeoneWhoCannotLogIn() {
        assertThatThrownBy(() -> fx.gateway("users.carol.sip-password = sip").load())
                .hasMessageContaining("users.carol.sip-password")
                .hasMessageContaining("expected users.carol.password as well")
                .hasMessageNotContaining("= 'sip'");
    }
}

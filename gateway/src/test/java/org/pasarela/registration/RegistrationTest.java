package org.pasarela.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.pasarela.config.Credentials;
import org.pasarela.registration.RegistrationAction.Authorization;
import org.pasarela.registration.RegistrationAction.CancelTimer;
import org.pasarela.registration.RegistrationAction.Finish;
import org.pasarela.registration.RegistrationAction.ReportFailed;
import org.pasarela.registration.RegistrationAction.ReportRegistered;
import org.pasarela.registration.RegistrationAction.SendRegister;
import org.pasarela.registration.RegistrationAction.StartTimer;
import org.pasarela.registration.RegistrationEvent.NoResponse;
import org.pasarela.registration.RegistrationEvent.Responded;
import org.pasarela.registration.RegistrationEvent.TimerFired;
import org.pasarela.sip.DigestAuthenticator;
import org.pasarela.sip.DigestChallenge;

class RegistrationTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final String URI = "sip:pbx.example.org";
    /** Kamailio 5.6 auth module's challenge shape. */
    private static final DigestChallenge CHALLENGE = DigestChallenge.parse(
            "Digest realm=\"pbx.example.org\", nonce=\"Z2hlbGxvLTE=\", qop=\"auth\"");
    private static final DigestChallenge STALE = DigestChallenge.parse(
            "Digest realm=\"pbx.example.org\", nonce=\"Z2hlbGxvLTI=\", qop=\"auth\", stale=true");
    private static final Credentials ALICE = new Credentials("alice", "s3cret", Optional.empty());
    private static final SendRegister PLAIN = new SendRegister(600, Optional.empty());

    private double draw = 0.0; // jitter factor 0.5: delays are half their nominal value
    private final Registration registration = registration(Optional.of(ALICE), 600);

    private Registration registration(Optional<Credentials> credentials, int expires) {
        return new Registration(new RegistrationSetup("sip:alice@pbx.example.org", URI, credentials, expires),
                () -> draw, () -> "0a4f113b");
    }

    private static Responded ok(int granted) {
        return new Responded(200, "OK", OptionalInt.of(granted), OptionalInt.empty(), OptionalInt.empty(),
                Optional.empty());
    }

    private static Responded challenge(int code, DigestChallenge challenge) {
        return new Responded(code, code == 401 ? "Unauthorized" : "Proxy Authentication Required",
                OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), Optional.of(challenge));
    }

    private List<RegistrationAction> registered() {
        registration.start();
        registration.handle(challenge(401, CHALLENGE), T0);
        return registration.handle(ok(600), T0);
    }

    @Test
    void sendsRegisterWithTheConfiguredExpiryOnStart() {
        assertThat(registration.start()).containsExactly(PLAIN);
        assertThat(registration.state()).isEqualTo(RegistrationState.REGISTERING);
    }

    @Test
    void answersA401ChallengeWithDigestForRegisterAndTheRequestUri() {
        registration.start();
        List<RegistrationAction> out = registration.handle(challenge(401, CHALLENGE), T0);
        String expected = DigestAuthenticator.authorization(CHALLENGE, "REGISTER", URI, "alice", "s3cret",
                "0a4f113b", 1);
        assertThat(out).containsExactly(new SendRegister(600, Optional.of(new Authorization("Authorization", expected))));
    }

    @Test
    void answersA407WithProxyAuthorization() {
        registration.start();
        SendRegister retry = (SendRegister) registration.handle(challenge(407, CHALLENGE), T0).get(0);
        assertThat(retry.authorization()).map(Authorization::headerName).contains("Proxy-Authorization");
    }

    @Test
    void reportsTheGrantedExpiryAndRefreshesAtHalfOfAShortBinding() {
        registration.start();
        assertThat(registration.handle(ok(10), T0)).containsExactly(
                new StartTimer(RegistrationTimer.REFRESH, Duration.ofSeconds(5)), new ReportRegistered(10));
        assertThat(registration.state()).isEqualTo(RegistrationState.REGISTERED);
    }

    @Test
    void refreshesWithTheSameRequestAndReportsNothingWhenTheExpiryStaysTheSame() {
        registered();
        assertThat(registration.handle(new TimerFired(RegistrationTimer.REFRESH), T0)).containsExactly(PLAIN);
        assertThat(registration.state()).isEqualTo(RegistrationState.REFRESHING);
        registration.handle(challenge(401, CHALLENGE), T0);
        assertThat(registration.handle(ok(600), T0))
                .containsExactly(new StartTimer(RegistrationTimer.REFRESH, Duration.ofSeconds(540)));
    }

    @Test
    void treatsASecondNonStaleChallengeAsRefusedCredentialsAndWaitsMinutesNotSeconds() {
        registration.start();
        registration.handle(challenge(401, CHALLENGE), T0);
        List<RegistrationAction> out = registration.handle(challenge(401, CHALLENGE), T0);
        assertThat(out).containsExactly(new StartTimer(RegistrationTimer.RETRY, Duration.ofMinutes(5)),
                new ReportFailed(401, "Unauthorized (credentials refused)"));
        assertThat(registration.state()).isEqualTo(RegistrationState.BACKING_OFF);
    }

    @Test
    void answersAgainWhenTheRegistrarSaysTheNonceWasStaleButNotForever() {
        registration.start();
        registration.handle(challenge(401, CHALLENGE), T0);
        assertThat(registration.handle(challenge(401, STALE), T0).get(0)).isInstanceOf(SendRegister.class);
        assertThat(registration.handle(challenge(401, STALE), T0)).contains(
                new ReportFailed(401, "Unauthorized (credentials refused)"));
    }

    @Test
    void failsAChallengeWithoutCredentialsAtOnce() {
        Registration anonymous = registration(Optional.empty(), 600);
        anonymous.start();
        assertThat(anonymous.handle(challenge(401, CHALLENGE), T0)).contains(new ReportFailed(401,
                "Unauthorized (no credentials configured for sip:alice@pbx.example.org)"));
    }

    @Test
    void refusesAChallengeFromAnotherRealmThanConfigured() {
        Registration restricted = new Registration(new RegistrationSetup("sip:alice@pbx.example.org", URI,
                Optional.of(new Credentials("alice", "s3cret", Optional.of("other"))), 600), () -> 0, () -> "c");
        restricted.start();
        assertThat(restricted.handle(challenge(401, CHALLENGE), T0)).contains(new ReportFailed(401,
                "Unauthorized (challenge realm 'pbx.example.org' is not auth.realm 'other')"));
    }

    @Test
    void forbiddenIsPermanentWithTheLongDelay() {
        registration.start();
        draw = 0.999;
        List<RegistrationAction> out = registration.handle(Responded.plain(403, "Forbidden"), T0);
        StartTimer timer = (StartTimer) out.get(0);
        assertThat(timer.after()).isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10));
        assertThat(out.get(1)).isEqualTo(new ReportFailed(403, "Forbidden"));
    }

    @Test
    void retriesTimeoutsWithDoublingBackoffAndReportsTheFailureOnlyOnce() {
        registration.start();
        assertThat(registration.handle(new NoResponse(408, "no response from 192.0.2.1:5060/UDP"), T0))
                .containsExactly(new StartTimer(RegistrationTimer.RETRY, Duration.ofSeconds(1)),
                        new ReportFailed(408, "no response from 192.0.2.1:5060/UDP"));
        assertThat(registration.handle(new TimerFired(RegistrationTimer.RETRY), T0)).containsExactly(PLAIN);
        assertThat(registration.handle(new NoResponse(408, "no response from 192.0.2.1:5060/UDP"), T0))
                .containsExactly(new StartTimer(RegistrationTimer.RETRY, Duration.ofSeconds(2)));
        registration.handle(new TimerFired(RegistrationTimer.RETRY), T0);
        assertThat(registration.handle(Responded.plain(503, "Service Unavailable"), T0))
                .containsExactly(new StartTimer(RegistrationTimer.RETRY, Duration.ofSeconds(4)),
                        new ReportFailed(503, "Service Unavailable"));
    }

    @Test
    void reRegistersAsSoonAsTheRegistrarAnswersAgainAndResetsTheBackoff() {
        registered();
        registration.handle(new TimerFired(RegistrationTimer.REFRESH), T0);
        registration.handle(new NoResponse(408, "timeout"), T0);
        registration.handle(new TimerFired(RegistrationTimer.RETRY), T0);
        assertThat(registration.handle(ok(600), T0)).contains(new ReportRegistered(600));
        registration.handle(new TimerFired(RegistrationTimer.REFRESH), T0);
        assertThat(registration.handle(new NoResponse(408, "timeout"), T0))
                .contains(new StartTimer(RegistrationTimer.RETRY, Duration.ofSeconds(1)));
    }

    @Test
    void honoursRetryAfterAsALowerBoundCappedAtAnHour() {
        registration.start();
        Responded busy = new Responded(503, "Service Unavailable", OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.of(30), Optional.empty());
        assertThat(registration.handle(busy, T0)).contains(new StartTimer(RegistrationTimer.RETRY,
                Duration.ofSeconds(30)));
        registration.handle(new TimerFired(RegistrationTimer.RETRY), T0);
        Responded parked = new Responded(503, "Service Unavailable", OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.of(86400), Optional.empty());
        assertThat(registration.handle(parked, T0)).contains(new StartTimer(RegistrationTimer.RETRY,
                Duration.ofHours(1)));
    }

    @Test
    void retriesAtOnceWithMinExpiresAfter423() {
        registration.start();
        Responded tooBrief = new Responded(423, "Interval Too Brief", OptionalInt.empty(), OptionalInt.of(3600),
                OptionalInt.empty(), Optional.empty());
        assertThat(registration.handle(tooBrief, T0)).containsExactly(new SendRegister(3600, Optional.empty()));
        assertThat(registration.handle(tooBrief, T0)).contains(new ReportFailed(423, "Interval Too Brief"));
    }

    @Test
    void unregistersWithExpiresZeroWhenStoppedWhileRegisteredAndFinishesOnTheAnswer() {
        registered();
        assertThat(registration.stop(T0)).containsExactly(new CancelTimer(RegistrationTimer.REFRESH),
                new SendRegister(0, Optional.empty()));
        SendRegister answer = (SendRegister) registration.handle(challenge(401, CHALLENGE), T0).get(0);
        assertThat(answer.expiresSeconds()).isZero();
        assertThat(answer.authorization()).isPresent();
        assertThat(registration.handle(ok(0), T0)).containsExactly(new Finish());
        assertThat(registration.state()).isEqualTo(RegistrationState.TERMINATED);
    }

    @Test
    void stopWhileARequestIsInFlightUnregistersOnlyAfterItsAnswer() {
        registration.start();
        assertThat(registration.stop(T0)).isEmpty();
        assertThat(registration.handle(ok(600), T0)).containsExactly(new SendRegister(0, Optional.empty()));
        assertThat(registration.handle(new NoResponse(408, "timeout"), T0)).containsExactly(new Finish());
    }

    @Test
    void stopWhileBackingOffUnregistersOnlyWhileTheOldBindingMayStillExist() {
        registered(); // bound until T0 + 600 s
        registration.handle(new TimerFired(RegistrationTimer.REFRESH), T0);
        registration.handle(Responded.plain(500, "Server Internal Error"), T0);
        assertThat(registration.stop(T0.plusSeconds(10))).containsExactly(new CancelTimer(RegistrationTimer.RETRY),
                new SendRegister(0, Optional.empty()));

        Registration never = registration(Optional.of(ALICE), 600);
        never.start();
        never.handle(Responded.plain(403, "Forbidden"), T0);
        assertThat(never.stop(T0)).containsExactly(new CancelTimer(RegistrationTimer.RETRY), new Finish());
    }

    @Test
    void lateResponsesAndTimersThatRacedTheirCancellationChangeNothing() {
        registered();
        assertThat(registration.handle(ok(600), T0)).isEmpty();
        assertThat(registration.handle(new TimerFired(RegistrationTimer.RETRY), T0)).isEmpty();
        registration.stop(T0);
        registration.handle(ok(0), T0);
        assertThat(registration.handle(new TimerFired(RegistrationTimer.REFRESH), T0)).isEmpty();
        assertThat(registration.stop(T0)).isEmpty();
    }

    @Test
    void aSuccessThatKeptNoBindingIsRetriedLaterNotInALoop() {
        registration.start();
        assertThat(registration.handle(ok(0), T0)).contains(
                new StartTimer(RegistrationTimer.RETRY, Duration.ofSeconds(1)));
    }

    @Test
    void startingTwiceIsABug() {
        registration.start();
        assertThatThrownBy(registration::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("registering");
    }
}

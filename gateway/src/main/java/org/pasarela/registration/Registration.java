package org.pasarela.registration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
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
import org.pasarela.sip.DigestPolicy;
import org.pasarela.sip.DigestException;

/**
 * One account's registration with its registrar (RFC 3261 §10.2): REGISTER, answer digest challenges, refresh
 * before the binding expires, retry after failures, and remove the binding with {@code Expires: 0} when stopped.
 * Events in, actions out; the clock reading, the jitter draw and the client nonces are inputs.
 *
 * <p>Failures, by response:
 * <ul>
 *   <li>401/407: answered once per request with the challenge's digest (§22.2); answered again only when the
 *       new challenge says {@code stale=true} (§22.4: the nonce expired, the credentials were right), at most
 *       {@value DigestPolicy#MAX_ANSWERS} answers per request. Another challenge means the credentials were refused: a
 *       permanent failure.</li>
 *   <li>423 Interval Too Brief: sent again at once with the registrar's Min-Expires (§10.2.8), once per value.</li>
 *   <li>408, 5xx, no response, transport errors: transient, exponential backoff ({@link Backoff}); Retry-After is
 *       honoured as a lower bound (§21.5.4).</li>
 *   <li>Everything else (3xx, 403, 404, other 4xx, 6xx): permanent, one retry every 5-10 minutes.</li>
 * </ul>
 * Status reports are made only when the status changes, so a registrar that stays down does not flood sessions.
 *
 * <p>Not thread-safe; owned by one lane.
 */
public final class Registration {

    private final RegistrationSetup setup;
    private final DoubleSupplier random;
    private final Supplier<String> cnonces;
    private RegistrationState state = RegistrationState.IDLE;
    private int expiresSeconds;
    private int authAnswers;
    private int transientFailures;
    private boolean stopRequested;
    /** Until when the registrar may hold our binding; an unregister is due only before then. */
    private Instant bindingUntil = Instant.MIN;
    private RegistrationAction lastReport;

    public Registration(RegistrationSetup setup, DoubleSupplier random, Supplier<String> cnonces) {
        this.setup = setup;
        this.random = random;
        this.cnonces = cnonces;
        this.expiresSeconds = setup.expiresSeconds();
    }

    public RegistrationState state() {
        return state;
    }

    public RegistrationSetup setup() {
        return setup;
    }

    /** The last status reported (a {@link ReportRegistered} or {@link ReportFailed}), or empty before any. */
    public Optional<RegistrationAction> lastReport() {
        return Optional.ofNullable(lastReport);
    }

    /** Sends the first REGISTER. */
    public List<RegistrationAction> start() {
        if (state != RegistrationState.IDLE) {
            throw new IllegalStateException("start() in state " + state);
        }
        return List.of(register(RegistrationState.REGISTERING));
    }

    /** Nobody wants the registration any more: remove the binding if one may exist, then finish. */
    public List<RegistrationAction> stop(Instant now) {
        List<RegistrationAction> out = new ArrayList<>();
        switch (state) {
            case IDLE -> finish(out);
            case REGISTERING, REFRESHING -> stopRequested = true; // §10.2: one REGISTER at a time; act on its answer
            case REGISTERED -> {
                out.add(new CancelTimer(RegistrationTimer.REFRESH));
                unregister(out);
            }
            case BACKING_OFF -> {
                out.add(new CancelTimer(RegistrationTimer.RETRY));
                if (now.isBefore(bindingUntil)) {
                    unregister(out);
                } else {
                    finish(out);
                }
            }
            case UNREGISTERING, TERMINATED -> { }
        }
        return out;
    }

    public List<RegistrationAction> handle(RegistrationEvent event, Instant now) {
        if (state == RegistrationState.TERMINATED) {
            return List.of();
        }
        if (event instanceof Responded r) return onResponse(r, now);
        if (event instanceof NoResponse n) return onNoResponse(n, now);
        if (event instanceof TimerFired t) return onTimer(t);
        throw new IllegalStateException("unhandled event " + event + " in " + state);
    }

    private List<RegistrationAction> onTimer(TimerFired fired) {
        if (fired.timer() == RegistrationTimer.REFRESH && state == RegistrationState.REGISTERED) {
            return List.of(register(RegistrationState.REFRESHING));
        }
        if (fired.timer() == RegistrationTimer.RETRY && state == RegistrationState.BACKING_OFF) {
            return List.of(register(RegistrationState.REGISTERING));
        }
        return List.of(); // a timer that raced with its cancellation
    }

    private List<RegistrationAction> onResponse(Responded r, Instant now) {
        if (!state.inFlight()) {
            return List.of(); // a retransmitted or late final response
        }
        List<RegistrationAction> out = new ArrayList<>();
        int code = r.code();
        if (code < 300) {
            onSuccess(r, now, out);
        } else if (code == 401 || code == 407) {
            onChallenge(r, out, now);
        } else if (code == 423 && r.minExpires().isPresent() && r.minExpires().getAsInt() > expiresSeconds
                && state != RegistrationState.UNREGISTERING) {
            expiresSeconds = r.minExpires().getAsInt();
            out.add(register(state));
        } else if (state == RegistrationState.UNREGISTERING || stopRequested) {
            finish(out);
        } else if (code == 408 || code >= 500 && code < 600) {
            transientFailure(code, r.reason(), r.retryAfter().orElse(0), out);
        } else {
            permanentFailure(code, r.reason(), out);
        }
        return out;
    }

    private void onSuccess(Responded r, Instant now, List<RegistrationAction> out) {
        if (state == RegistrationState.UNREGISTERING) {
            finish(out);
            return;
        }
        int granted = r.grantedSeconds().orElse(expiresSeconds);
        if (granted < 1) {
            // A 2xx that lists no binding of ours: the registrar dropped it. Try again later, not in a loop.
            if (!stopRequested) {
                transientFailure(500, "registrar answered " + r.code() + " but kept no binding", 0, out);
            } else {
                finish(out);
            }
            return;
        }
        bindingUntil = now.plusSeconds(granted);
        if (stopRequested) {
            unregister(out);
            return;
        }
        transientFailures = 0;
        moveTo(RegistrationState.REGISTERED);
        out.add(new StartTimer(RegistrationTimer.REFRESH, Backoff.refreshAfter(granted)));
        report(new ReportRegistered(granted), out);
    }

    private void onChallenge(Responded r, List<RegistrationAction> out, Instant now) {
        String refusal = challengeRefusal(r);
        if (refusal == null) {
            try {
                DigestChallenge challenge = r.challenge().orElseThrow();
                Credentials credentials = setup.credentials().orElseThrow();
                String value = DigestAuthenticator.authorization(challenge, "REGISTER", setup.requestUri(),
                        credentials.username(), credentials.password(), cnonces.get(), 1);
                authAnswers++;
                String header = r.code() == 401 ? "Authorization" : "Proxy-Authorization";
                out.add(new SendRegister(state == RegistrationState.UNREGISTERING ? 0 : expiresSeconds,
                        Optional.of(new Authorization(header, value))));
                return;
            } catch (DigestException e) {
                refusal = "cannot answer the challenge: " + e.getMessage();
            }
        }
        if (state == RegistrationState.UNREGISTERING || stopRequested) {
            finish(out);
        } else {
            permanentFailure(r.code(), r.reason() + " (" + refusal + ")", out);
        }
    }

    /** Why this challenge is not answered, or null when it is. */
    private String challengeRefusal(Responded r) {
        if (setup.credentials().isEmpty()) {
            return "no credentials configured for " + setup.aor();
        }
        if (r.challenge().isEmpty()) {
            return "no usable Digest challenge";
        }
        return DigestPolicy.refusal(setup.credentials().get(), r.challenge().get(), authAnswers).orElse(null);
    }

    private List<RegistrationAction> onNoResponse(NoResponse n, Instant now) {
        if (!state.inFlight()) {
            return List.of();
        }
        List<RegistrationAction> out = new ArrayList<>();
        if (state == RegistrationState.UNREGISTERING || stopRequested) {
            finish(out);
        } else {
            transientFailure(n.code(), n.reason(), 0, out);
        }
        return out;
    }

    private void transientFailure(int code, String reason, int retryAfterSeconds, List<RegistrationAction> out) {
        transientFailures++;
        Duration delay = Backoff.transientDelay(transientFailures, random.getAsDouble());
        Duration retryAfter = Duration.ofSeconds(retryAfterSeconds);
        if (retryAfter.compareTo(delay) > 0) {
            delay = retryAfter.compareTo(Backoff.MAX_RETRY_AFTER) > 0 ? Backoff.MAX_RETRY_AFTER : retryAfter;
        }
        backOff(code, reason, delay, out);
    }

    private void permanentFailure(int code, String reason, List<RegistrationAction> out) {
        backOff(code, reason, Backoff.permanentDelay(random.getAsDouble()), out);
    }

    private void backOff(int code, String reason, Duration delay, List<RegistrationAction> out) {
        moveTo(RegistrationState.BACKING_OFF);
        expiresSeconds = setup.expiresSeconds();
        out.add(new StartTimer(RegistrationTimer.RETRY, delay));
        report(new ReportFailed(code, reason.isEmpty() ? "registration failed" : reason), out);
    }

    private void unregister(List<RegistrationAction> out) {
        moveTo(RegistrationState.UNREGISTERING);
        authAnswers = 0;
        out.add(new SendRegister(0, Optional.empty()));
    }

    private SendRegister register(RegistrationState next) {
        moveTo(next);
        authAnswers = 0;
        return new SendRegister(expiresSeconds, Optional.empty());
    }

    private void finish(List<RegistrationAction> out) {
        moveTo(RegistrationState.TERMINATED);
        out.add(new Finish());
    }

    private void report(RegistrationAction status, List<RegistrationAction> out) {
        if (!status.equals(lastReport)) {
            lastReport = status;
            out.add(status);
        }
    }

    private void moveTo(RegistrationState next) {
        if (!state.next().contains(next)) {
            throw new IllegalStateException("registration of " + setup.aor() + ": " + state + " -> " + next);
        }
        state = next;
    }
}

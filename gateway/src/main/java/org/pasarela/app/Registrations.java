package org.pasarela.app;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.pasarela.config.RegistrationSettings;
import org.pasarela.config.SipProfile;
import org.pasarela.lane.Lane;
import org.pasarela.registration.Registration;
import org.pasarela.registration.RegistrationAction;
import org.pasarela.registration.RegistrationAction.CancelTimer;
import org.pasarela.registration.RegistrationAction.Finish;
import org.pasarela.registration.RegistrationAction.ReportFailed;
import org.pasarela.registration.RegistrationAction.ReportRegistered;
import org.pasarela.registration.RegistrationAction.SendRegister;
import org.pasarela.registration.RegistrationAction.StartTimer;
import org.pasarela.registration.RegistrationEvent;
import org.pasarela.registration.RegistrationSetup;
import org.pasarela.registration.RegistrationTimer;
import org.pasarela.signaling.Registered;
import org.pasarela.signaling.RegistrationFailed;
import org.pasarela.signaling.ServerMessage;
import org.pasarela.transport.sip.SipEndpoint;
import org.pasarela.transport.sip.SipRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner of every web user's registrations: one per (user, profile), shared by all the sessions of that user
 * that asked for it. Counts the interested sessions, sends {@code registered}/{@code registration-failed} to each,
 * and unregisters when the last one leaves (or the gateway stops).
 *
 * <p>All state lives on one lane ({@code registrations}); the state machines are pure {@link Registration}s, SIP
 * goes through {@link SipRegistration} (its own send lane), timers through the gateway's scheduler. No thread per
 * registration. Public methods may be called from any thread.
 */
final class Registrations {
    private static final Logger log = LoggerFactory.getLogger(Registrations.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Key(String user, String profile) {
        @Override
        public String toString() {
            return user + "@" + profile;
        }
    }

    /** One registration and who wants it. Touched only on the lane. */
    private static final class Entry {
        final Key key;
        final Registration machine;
        final SipRegistration sip;
        final Set<Consumer<ServerMessage>> subscribers = new LinkedHashSet<>();
        /** Sessions that joined while this entry was unregistering: they get a fresh registration after it. */
        final Set<Consumer<ServerMessage>> waiting = new LinkedHashSet<>();
        final Map<RegistrationTimer, ScheduledFuture<?>> timers = new EnumMap<>(RegistrationTimer.class);
        SipProfile profile;
        boolean stopping;

        Entry(Key key, Registration machine, SipRegistration sip, SipProfile profile) {
            this.key = key;
            this.machine = machine;
            this.sip = sip;
            this.profile = profile;
        }
    }

    private final SipEndpoint sip;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Lane lane;
    private final Map<Key, Entry> entries = new HashMap<>();
    private final AtomicInteger live = new AtomicInteger();

    Registrations(SipEndpoint sip, Executor lanes, ScheduledExecutorService scheduler, Clock clock) {
        this.sip = sip;
        this.scheduler = scheduler;
        this.clock = clock;
        this.lane = new Lane("registrations", lanes);
    }

    /** {@code session} wants {@code user} registered through {@code profile} (credentials resolved for the user). */
    void join(String user, SipProfile profile, Consumer<ServerMessage> session) {
        lane.execute(() -> {
            Key key = new Key(user, profile.name());
            Entry entry = entries.get(key);
            if (entry == null) {
                entry = start(key, profile);
            } else if (entry.stopping) {
                entry.waiting.add(session);
                entry.profile = profile;
                return;
            }
            entry.subscribers.add(session);
            entry.machine.lastReport().ifPresent(status -> tell(session, entry(key), status));
        });
    }

    /** {@code session} no longer wants it; the last one to leave unregisters. */
    void leave(String user, String profile, Consumer<ServerMessage> session) {
        lane.execute(() -> {
            Entry entry = entries.get(new Key(user, profile));
            if (entry == null) {
                return;
            }
            entry.waiting.remove(session);
            if (entry.subscribers.remove(session) && entry.subscribers.isEmpty() && !entry.stopping) {
                stop(entry);
            }
        });
    }

    /** Registrations not yet finished (including those unregistering). */
    int active() {
        return live.get();
    }

    /** Unregisters everything, waiting at most {@code grace} for the registrars' answers. Not on the lane. */
    void close(Duration grace) {
        lane.execute(() -> {
            for (Entry entry : List.copyOf(entries.values())) {
                entry.subscribers.clear();
                entry.waiting.clear();
                if (!entry.stopping) {
                    stop(entry);
                }
            }
        });
        long deadline = System.nanoTime() + grace.toNanos();
        while (live.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (live.get() > 0) {
            log.info("{} registration(s) did not finish unregistering within {}", live.get(), grace);
        }
    }

    private Entry entry(Key key) {
        return entries.get(key);
    }

    private Entry start(Key key, SipProfile profile) {
        RegistrationSettings settings = profile.registration().orElseThrow(() -> new IllegalStateException(
                "profile '" + profile.name() + "' has no registration settings"));
        String sipUser = settings.userFor(key.user());
        String aor = "sip:" + sipUser + "@" + settings.domain();
        String requestUri = "sip:" + settings.domain();
        RegistrationSetup setup = new RegistrationSetup(aor, requestUri,
                profile.credentials(), settings.expiresSeconds());
        Registration machine = new Registration(setup, RANDOM::nextDouble,
                () -> HexFormat.of().formatHex(randomBytes(8)));
        Entry[] holder = new Entry[1];
        SipRegistration sipSide = sip.newRegistration(profile, aor, requestUri, sipUser, key.user(),
                event -> lane.execute(() -> handle(holder[0], event)));
        Entry entry = new Entry(key, machine, sipSide, profile);
        holder[0] = entry;
        entries.put(key, entry);
        live.incrementAndGet();
        log.info("registration {}: {} via profile '{}'", key, aor, profile.name());
        apply(entry, machine.start());
        return entry;
    }

    private void stop(Entry entry) {
        entry.stopping = true;
        log.info("registration {}: no session wants it any more", entry.key);
        apply(entry, entry.machine.stop(clock.instant()));
    }

    private void handle(Entry entry, RegistrationEvent event) {
        if (entries.get(entry.key) != entry) {
            return; // finished already; a late response or timer
        }
        try {
            apply(entry, entry.machine.handle(event, clock.instant()));
        } catch (RuntimeException e) {
            log.error("registration {}: {} while handling {}", entry.key, e, event, e);
            finish(entry);
        }
    }

    private void apply(Entry entry, List<RegistrationAction> actions) {
        for (RegistrationAction action : actions) {
            if (action instanceof SendRegister send) {
                log.debug("registration {}: REGISTER Expires {}{}", entry.key, send.expiresSeconds(),
                        send.authorization().isPresent() ? " with credentials" : "");
                entry.sip.send(send.expiresSeconds(), send.authorization());
            } else if (action instanceof ReportRegistered || action instanceof ReportFailed) {
                log.info("registration {}: {}", entry.key, action);
                for (Consumer<ServerMessage> session : List.copyOf(entry.subscribers)) {
                    tell(session, entry, action);
                }
            } else if (action instanceof StartTimer start) {
                ScheduledFuture<?> previous = entry.timers.put(start.timer(), scheduler.schedule(
                        () -> lane.execute(() -> handle(entry, new RegistrationEvent.TimerFired(start.timer()))),
                        start.after().toMillis(), TimeUnit.MILLISECONDS));
                if (previous != null) {
                    previous.cancel(false);
                }
            } else if (action instanceof CancelTimer cancel) {
                ScheduledFuture<?> timer = entry.timers.remove(cancel.timer());
                if (timer != null) {
                    timer.cancel(false);
                }
            } else if (action instanceof Finish) {
                finish(entry);
            } else {
                throw new IllegalStateException("unhandled registration action " + action);
            }
        }
    }

    private void finish(Entry entry) {
        entry.timers.values().forEach(timer -> timer.cancel(false));
        entry.timers.clear();
        entry.sip.forget();
        if (entries.remove(entry.key, entry)) {
            live.decrementAndGet();
        }
        log.info("registration {}: ended", entry.key);
        if (!entry.waiting.isEmpty()) {
            Entry fresh = start(entry.key, entry.profile);
            fresh.subscribers.addAll(entry.waiting);
        }
    }

    private static void tell(Consumer<ServerMessage> session, Entry entry, RegistrationAction status) {
        if (entry == null) {
            return;
        }
        ServerMessage message = status instanceof ReportRegistered r
                ? new Registered(entry.key.profile(), entry.machine.setup().aor(), r.expiresSeconds())
                : new RegistrationFailed(entry.key.profile(), ((ReportFailed) status).code(),
                        ((ReportFailed) status).reason());
        session.accept(message);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Override
    public String toString() {
        return "Registrations[" + new ArrayList<>(entries.keySet()) + "]";
    }
}

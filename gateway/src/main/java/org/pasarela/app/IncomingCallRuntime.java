package org.pasarela.app;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pasarela.call.CallAction;
import org.pasarela.call.CallAction.AllocateMedia;
import org.pasarela.call.CallAction.Finish;
import org.pasarela.call.CallAction.SendFinalResponse;
import org.pasarela.call.CallAction.SendRinging;
import org.pasarela.call.CallAction.SendToSession;
import org.pasarela.call.CallEvent;
import org.pasarela.call.CallEvent.SessionLeft;
import org.pasarela.call.IncomingCall;
import org.pasarela.call.IncomingSetup;
import org.pasarela.history.HangupParty;
import org.pasarela.lane.Lane;
import org.pasarela.signaling.Answered;
import org.pasarela.signaling.Hangup;
import org.pasarela.transport.sip.SipInboundLeg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one incoming call: feeds the pure {@link IncomingCall} its events on the call's own lane and carries out
 * what comes back. Messages for the ringing sessions go to each session's lane through the
 * {@link SessionDirectory}; a session that is gone is reported back to the call as {@link SessionLeft}.
 */
final class IncomingCallRuntime {
    private static final Logger log = LoggerFactory.getLogger(IncomingCallRuntime.class);

    private final IncomingCall call;
    private final Lane lane;
    private final SipInboundLeg leg;
    private final GatewayServices services;
    private final SessionDirectory sessions;
    private final IncomingHistory history;
    private final Runnable onFinish;
    private final CallResources resources;
    /** session name -> its user, for the history (who answered). Lane-owned. */
    private final Map<String, String> usersBySession = new HashMap<>();
    /** Who set off what the lane is handling now, for the history's "hung up by". Lane-owned. */
    private HangupParty cause = HangupParty.GATEWAY;
    private boolean finished;

    IncomingCallRuntime(IncomingSetup setup, Lane lane, SipInboundLeg leg, GatewayServices services,
                        SessionDirectory sessions, IncomingHistory history, Runnable onFinish) {
        this.call = new IncomingCall(setup);
        this.lane = lane;
        this.leg = leg;
        this.services = services;
        this.sessions = sessions;
        this.history = history;
        this.onFinish = onFinish;
        this.resources = new CallResources(setup.callId(), this::post);
        this.resources.leg = leg;
    }

    void start() {
        leg.bind(this::post);
        lane.execute(() -> run(() -> call.start()));
    }

    /** An event for this call from SIP, media, a timer or a session. Any thread. */
    void post(CallEvent event) {
        lane.execute(() -> {
            cause = causeOf(event);
            run(() -> call.handle(event, now()));
        });
    }

    private void run(java.util.function.Supplier<List<CallAction>> step) {
        if (finished) {
            return; // late network events after the end are expected
        }
        try {
            apply(step.get());
        } catch (RuntimeException e) {
            // A broken invariant must not leave the caller ringing or the sockets bound.
            log.error("call {}: {}", call.id(), e.toString(), e);
            abort();
        }
    }

    private void apply(List<CallAction> actions) {
        for (CallAction action : actions) {
            execute(action);
        }
    }

    private void execute(CallAction action) {
        if (resources.execute(action, services)) {
            return;
        }
        if (action instanceof AllocateMedia) {
            apply(call.handle(resources.allocateMedia(services.media()), now()));
        } else if (action instanceof SendRinging) {
            leg.sendRinging();
        } else if (action instanceof SendFinalResponse response) {
            if (response.code() < 300) {
                leg.answer(response.sdp());
            } else {
                leg.reject(response.code(), response.reason(), response.retryAfterSeconds());
                history.ended(now(), response.code(), response.reason(), cause);
            }
        } else if (action instanceof SendToSession send) {
            deliver(send);
        } else if (action instanceof Finish) {
            finish();
        } else {
            throw new IllegalStateException("unhandled action " + action);
        }
    }

    private void deliver(SendToSession send) {
        String callId = call.id();
        if (send.message() instanceof Answered) {
            history.answered(usersBySession.get(send.session()), now());
        } else if (send.message() instanceof Hangup hangup && (send.session().equals(call.winner())
                || (call.winner() == null && cause == HangupParty.REMOTE))) {
            // The winner's end of the call, or the caller giving up while it rang.
            history.ended(now(), hangup.code(), hangup.reason(), cause);
        }
        sessions.find(send.session()).ifPresentOrElse(member -> {
            usersBySession.putIfAbsent(member.name(), member.user());
            member.fromIncomingCall(callId, send.message());
        }, () -> {
            if (!(send.message() instanceof Hangup)) {
                post(new SessionLeft(send.session())); // gone between the ring decision and now
            }
        });
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        resources.release();
        history.ended(now(), 500, "ended without an outcome", HangupParty.GATEWAY);
        onFinish.run();
        log.info("call {}: ended", call.id());
    }

    /** Leaves the SIP side however far it got and frees everything; the sessions not told yet hear a hangup. */
    private void abort() {
        cause = HangupParty.GATEWAY;
        try {
            apply(call.abort("internal error"));
        } catch (RuntimeException e) {
            log.error("call {}: {} while aborting", call.id(), e.toString(), e);
        } finally {
            history.ended(now(), 500, "internal error", HangupParty.GATEWAY);
            finish();
        }
    }

    private static HangupParty causeOf(CallEvent event) {
        if (event instanceof CallEvent.SipCancelled || event instanceof CallEvent.SipByeReceived) {
            return HangupParty.REMOTE;
        }
        if (event instanceof CallEvent.SessionRejected || event instanceof CallEvent.SessionHungUp
                || event instanceof CallEvent.SessionLeft || event instanceof CallEvent.SessionAccepted) {
            return HangupParty.CLIENT;
        }
        return HangupParty.GATEWAY;
    }

    private Instant now() {
        return services.clock().instant();
    }
}

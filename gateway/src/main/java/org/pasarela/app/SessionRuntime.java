package org.pasarela.app;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.pasarela.call.CallAction.AllocateMedia;
import org.pasarela.call.CallAction.Finish;
import org.pasarela.call.CallAction.LookUpHistory;
import org.pasarela.call.CallAction.ReportMissed;
import org.pasarela.call.CallAction.SendAck;
import org.pasarela.call.CallAction.SendCancel;
import org.pasarela.call.CallAction.SendInvite;
import org.pasarela.call.CallAction.SendToBrowser;
import org.pasarela.call.CallAction;
import org.pasarela.call.CallEvent.SipByeReceived;
import org.pasarela.call.CallEvent.SipFailed;
import org.pasarela.call.CallEvent;
import org.pasarela.call.Command;
import org.pasarela.call.Session;
import org.pasarela.history.HangupParty;
import org.pasarela.history.UnknownCursorException;
import org.pasarela.lane.Lane;
import org.pasarela.signaling.ClientMessage;
import org.pasarela.signaling.ErrorCodes;
import org.pasarela.signaling.ErrorMessage;
import org.pasarela.signaling.HangupRequest;
import org.pasarela.signaling.HistoryReply;
import org.pasarela.signaling.Missed;
import org.pasarela.signaling.ProtocolException;
import org.pasarela.signaling.ServerMessage;
import org.pasarela.transport.sip.SipLeg;
import org.pasarela.transport.ws.BrowserLink;
import org.pasarela.transport.ws.SignalingSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one browser session: feeds its inputs to the pure {@link Session} on the session's lane and carries out
 * the commands that come back, in order. The only place where call actions meet sockets, SIP and timers.
 */
final class SessionRuntime implements SignalingSessions.Connection, SessionDirectory.Member {
    private static final Logger log = LoggerFactory.getLogger(SessionRuntime.class);

    private final Session session;
    private final Lane lane;
    private final BrowserLink link;
    private final GatewayServices services;
    private final Runnable onEnd;
    private final Map<String, CallResources> resources = new HashMap<>();
    /** Client messages queued on the lane and not yet handled; bounded so a flood cannot exhaust memory. */
    private final AtomicInteger pendingInputs = new AtomicInteger();
    /** How the shared registrations reach this session; one stable object, so they can count sessions. */
    private final java.util.function.Consumer<org.pasarela.signaling.ServerMessage> registrationSink;
    private static final int MAX_PENDING_INPUTS = 256;
    private final CallRecorder recorder;
    /** Who set off what the lane is handling now, for the call history's "hung up by". Lane-owned. */
    private HangupParty cause = HangupParty.GATEWAY;

    private final SessionDirectory directory;
    private final IncomingCalls incoming;
    /** The user this session is listed under in the directory (so incoming calls ring it); null until login. */
    private String listedAs;

    SessionRuntime(Session session, Lane lane, BrowserLink link, GatewayServices services, SessionDirectory directory,
                   IncomingCalls incoming, Runnable onEnd) {
        this.session = session;
        this.directory = directory;
        this.incoming = incoming;
        this.lane = lane;
        this.link = link;
        this.services = services;
        this.onEnd = onEnd;
        this.recorder = new CallRecorder(services.history());
        this.registrationSink = message -> link.send(services.codec().encode(message));
    }

    @Override
    public void onText(String text) {
        if (pendingInputs.incrementAndGet() > MAX_PENDING_INPUTS) {
            // The client sends faster than its session can work: it is broken or hostile (RFC 6455 §7.4.1 1008).
            link.close(1008, "too many messages in flight");
            return;
        }
        lane.execute(() -> {
            pendingInputs.decrementAndGet();
            ClientMessage message;
            try {
                message = services.codec().decode(text);
            } catch (ProtocolException e) {
                link.send(services.codec().encode(e.toErrorMessage()));
                return;
            }
            String callId = Session.callOf(message);
            cause = message instanceof HangupRequest ? HangupParty.CLIENT : HangupParty.GATEWAY;
            try {
                apply(session.onMessage(message, clock().instant()));
            } catch (RuntimeException e) {
                log.error("session: {} while handling a '{}' request", e, message.type(), e);
                link.send(services.codec().encode(new ErrorMessage(message.id(), callId, ErrorCodes.INTERNAL_ERROR,
                        message.type() + ": internal error")));
                if (callId != null) {
                    abort(callId);
                }
            }
        });
    }

    @Override
    public String name() {
        return session.name();
    }

    @Override
    public String user() {
        return listedAs;
    }

    /** A message from incoming call {@code callId} for this browser, onto the lane. Any thread. */
    @Override
    public void fromIncomingCall(String callId, org.pasarela.signaling.ServerMessage message) {
        lane.execute(() -> {
            if (session.isClosed()) {
                // Offered after this session closed: the call must not wait for it.
                if (message instanceof org.pasarela.signaling.Incoming) {
                    incoming.post(callId, new CallEvent.SessionLeft(session.name()));
                }
                return;
            }
            apply(session.fromIncomingCall(callId, message));
        });
    }

    @Override
    public void onClosed() {
        lane.execute(() -> {
            if (listedAs != null) {
                directory.remove(listedAs, this); // rings no more from now on
            }
            cause = HangupParty.CLIENT;
            recorder.clientLeft(clock().instant());
            try {
                apply(session.onClosed(clock().instant()));
            } catch (RuntimeException e) {
                log.error("session: {} while closing", e, e);
                for (String callId : List.copyOf(resources.keySet())) {
                    abort(callId);
                }
            }
            endIfIdle();
        });
    }

    /** Posts an event for one of this session's calls onto the lane. Any thread. */
    void post(String callId, CallEvent event) {
        lane.execute(() -> {
            cause = event instanceof SipByeReceived || event instanceof SipFailed
                    ? HangupParty.REMOTE : HangupParty.GATEWAY;
            try {
                apply(session.onCallEvent(callId, event, clock().instant()));
            } catch (RuntimeException e) {
                // A broken invariant in one call must not take the session or the gateway with it.
                log.error("call {}: {} while handling {}", callId, e, event, e);
                abort(callId);
            }
            endIfIdle();
        });
    }

    /** Tears down one call that broke: leave the SIP side, tell the browser once, free what it held. */
    private void abort(String callId) {
        cause = HangupParty.GATEWAY;
        CallResources broken = resources.get(callId);
        if (broken != null && broken.leg instanceof SipLeg leg) {
            leg.abandon();
        }
        try {
            apply(session.abort(callId, "internal error"));
        } finally {
            CallResources left = resources.remove(callId);
            if (left != null) {
                left.release();
            }
        }
    }

    private void apply(List<Command> commands) {
        for (Command command : commands) {
            execute(command.callId(), command.action());
        }
        if (listedAs == null && session.user() != null && !session.isClosed()) {
            listedAs = session.user();
            directory.add(listedAs, this); // logged in: incoming calls for the user ring here too
        }
    }

    private void execute(String callId, CallAction action) {
        if (action instanceof SendToBrowser send) {
            link.send(services.codec().encode(send.message()));
            recorder.sentToBrowser(callId, send.message(), cause, clock().instant());
            return;
        }
        if (action instanceof LookUpHistory lookUp) {
            lookUpHistory(lookUp);
            return;
        }
        if (action instanceof ReportMissed report) {
            reportMissed(report.user());
            return;
        }
        if (action instanceof CallAction.CheckPassword check) {
            checkPassword(check);
            return;
        }
        if (action instanceof CallAction.ToIncomingCall toIncoming) {
            incoming.post(callId, toIncoming.event());
            return;
        }
        if (action instanceof CallAction.JoinRegistration join) {
            services.registrations().join(join.user(), join.profile(), registrationSink);
            return;
        }
        if (action instanceof CallAction.LeaveRegistration leave) {
            services.registrations().leave(leave.user(), leave.profile(), registrationSink);
            return;
        }
        CallResources call = resources.computeIfAbsent(callId,
                id -> new CallResources(id, event -> post(id, event)));
        if (call.execute(action, services)) {
            return;
        }
        if (action instanceof AllocateMedia) {
            apply(session.onCallEvent(callId, call.allocateMedia(services.media()), clock().instant()));
        } else if (action instanceof SendInvite invite) {
            SipLeg leg = services.sip().newLeg(callId, event -> post(callId, event));
            call.leg = leg;
            log.info("call {}: {} -> {} via profile '{}'", callId, invite.fromUser(), invite.requestUri(),
                    invite.profile().name());
            recorder.inviteSent(callId, session.user(), invite, clock().instant());
            leg.sendInvite(invite);
        } else if (action instanceof SendAck) {
            outbound(call).sendAck();
        } else if (action instanceof SendCancel) {
            outbound(call).sendCancel();
        } else if (action instanceof Finish) {
            call.release();
            resources.remove(callId);
            recorder.finished(callId, clock().instant());
            log.info("call {}: ended", callId);
        } else {
            throw new IllegalStateException("unhandled action " + action);
        }
    }

    /** The INVITE client side of an outbound call's leg. */
    private static SipLeg outbound(CallResources call) {
        return (SipLeg) call.leg;
    }

    /** Checks the password on the password pool; the outcome, and the requests held meanwhile, run on the lane. */
    private void checkPassword(CallAction.CheckPassword check) {
        services.passwords().check(check,
                result -> lane.execute(() -> {
                    cause = HangupParty.GATEWAY;
                    apply(session.onPasswordChecked(result, clock().instant()));
                    endIfIdle();
                }),
                reason -> lane.execute(() -> {
                    cause = HangupParty.GATEWAY;
                    apply(session.onPasswordCheckUnavailable(reason, clock().instant()));
                    endIfIdle();
                }));
    }

    /** Runs the query on the history's thread; the reply goes out from the lane, in order with the rest. */
    private void lookUpHistory(LookUpHistory request) {
        services.history().list(request.user(), request.limit(), request.before()).whenComplete((calls, failure) ->
                lane.execute(() -> {
                    ServerMessage reply;
                    if (failure == null) {
                        reply = new HistoryReply(request.requestId(), CallRecorder.toWire(calls));
                    } else if (failure.getCause() instanceof UnknownCursorException unknown) {
                        reply = new ErrorMessage(request.requestId(), null, ErrorCodes.NOT_FOUND,
                                "history: " + unknown.getMessage());
                    } else {
                        log.warn("history for {}: {}", request.user(), failure.toString());
                        reply = new ErrorMessage(request.requestId(), null, ErrorCodes.SERVICE_UNAVAILABLE,
                                "history: the call history is unavailable");
                    }
                    link.send(services.codec().encode(reply));
                }));
    }

    private void reportMissed(String user) {
        services.history().takeMissed(user).whenComplete((calls, failure) -> lane.execute(() -> {
            if (failure != null) {
                log.warn("missed calls for {}: {}", user, failure.toString());
            } else if (!calls.isEmpty()) {
                link.send(services.codec().encode(new Missed(CallRecorder.toWire(calls))));
            }
        }));
    }

    private void endIfIdle() {
        if (session.isClosed() && session.callCount() == 0 && resources.isEmpty()) {
            onEnd.run();
        }
    }

    private Clock clock() {
        return services.clock();
    }
}

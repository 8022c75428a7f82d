package org.pasarela.app;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.pasarela.auth.RemoteAddress;
import org.pasarela.auth.SecurityEvent;
import org.pasarela.auth.SecurityEvents;
import org.pasarela.call.CallEvent;
import org.pasarela.call.IncomingSetup;
import org.pasarela.config.SipProfile;
import org.pasarela.dialplan.InboundInvite;
import org.pasarela.dialplan.InboundRoute;
import org.pasarela.lane.Lane;
import org.pasarela.transport.sip.InboundInvites;
import org.pasarela.transport.sip.SipInboundLeg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls from SIP to web users: takes each INVITE the SIP router sent to a user or a group, rings every logged-in
 * session of theirs (parallel ringing) and runs the call on a lane of its own ({@link IncomingCallRuntime}).
 * With nobody logged in the caller gets 480 at once, and the call is a missed call in the history of each user it
 * was for. Refused INVITEs from outside every profile become security events. Thread-safe.
 */
final class IncomingCalls implements InboundInvites {
    private static final Logger log = LoggerFactory.getLogger(IncomingCalls.class);

    private final GatewayServices services;
    private final SessionDirectory sessions;
    private final Executor lanes;
    private final Supplier<String> callIds;
    private final Duration ringTimeout;
    private final SecurityEvents securityEvents;
    private final Map<String, IncomingCallRuntime> calls = new ConcurrentHashMap<>();

    IncomingCalls(GatewayServices services, SessionDirectory sessions, Executor lanes, Supplier<String> callIds,
                  Duration ringTimeout, SecurityEvents securityEvents) {
        this.services = services;
        this.sessions = sessions;
        this.lanes = lanes;
        this.callIds = callIds;
        this.ringTimeout = ringTimeout;
        this.securityEvents = securityEvents;
    }

    /** On the SIP delivery thread: decides who rings and hands the call to its own lane. Never blocks. */
    @Override
    public void invite(SipInboundLeg leg, InboundInvite request, InboundRoute route) {
        List<String> users;
        SipProfile profile;
        String called;
        if (route instanceof InboundRoute.ToUser user) {
            users = List.of(user.user());
            profile = user.profile();
            called = user.user();
        } else if (route instanceof InboundRoute.ToGroup group) {
            users = group.members();
            profile = group.profile();
            called = "group:" + group.group();
        } else {
            throw new IllegalArgumentException("not a route to users: " + route);
        }
        String callId = callIds.get();
        Clock clock = services.clock();
        String from = request.fromUri() == null ? "sip:anonymous@anonymous.invalid" : request.fromUri();
        String to = request.toUri() == null ? request.requestUri() : request.toUri();
        IncomingHistory history = new IncomingHistory(services.history(), callId, users, from, profile.name());
        history.started(clock.instant());
        List<SessionDirectory.Member> ringing = sessions.sessionsOf(users);
        if (ringing.isEmpty()) {
            log.info("call {}: {} -> {} via profile '{}': nobody is logged in, 480", callId, from, called,
                    profile.name());
            leg.reject(480, "Temporarily Unavailable");
            leg.forget();
            history.ended(clock.instant(), 480, "nobody logged in", org.pasarela.history.HangupParty.GATEWAY);
            return;
        }
        List<String> names = ringing.stream().map(SessionDirectory.Member::name).toList();
        log.info("call {}: {} -> {} via profile '{}' rings {}", callId, from, called, profile.name(), names);
        IncomingSetup setup = new IncomingSetup(callId, profile, called, from, request.fromDisplayName(), to,
                request.sdp(), ringTimeout, names);
        IncomingCallRuntime call = new IncomingCallRuntime(setup, new Lane(callId, lanes), leg, services, sessions,
                history, () -> calls.remove(callId));
        calls.put(callId, call);
        call.start();
    }

    @Override
    public void refused(InboundInvite request, InboundRoute.Refuse refusal) {
        log.info("SIP INVITE {} from {}:{} refused {} ({})", request.requestUri(), request.sourceAddress(),
                request.sourcePort(), refusal.code(), refusal.detail());
        if (refusal.forbidden()) {
            securityEvents.report(new SecurityEvent(SecurityEvent.Type.InboundRefused, services.clock().instant(),
                    request.requestUser(), "", new RemoteAddress(request.sourceAddress(), request.sourcePort()),
                    "INVITE " + request.requestUri() + ": " + refusal.detail(),
                    SecurityEvent.Channel.valueOf(request.transport().name())));
        }
    }

    /** An event from one of the ringing sessions for incoming call {@code callId}; dropped if the call is over. */
    void post(String callId, CallEvent event) {
        IncomingCallRuntime call = calls.get(callId);
        if (call != null) {
            call.post(event);
        }
    }

    int active() {
        return calls.size();
    }
}

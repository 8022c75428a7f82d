package org.pasarela.call;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.pasarela.auth.LoginResult;
import org.pasarela.auth.RemoteAddress;
import org.pasarela.call.CallAction.SendToBrowser;
import org.pasarela.call.CallAction.ToIncomingCall;
import org.pasarela.call.CallEvent.BrowserCandidate;
import org.pasarela.call.CallEvent.BrowserDtmf;
import org.pasarela.call.CallEvent.BrowserHungUp;
import org.pasarela.call.CallEvent.SessionAccepted;
import org.pasarela.call.CallEvent.SessionCandidate;
import org.pasarela.call.CallEvent.SessionDtmf;
import org.pasarela.call.CallEvent.SessionHungUp;
import org.pasarela.call.CallEvent.SessionLeft;
import org.pasarela.call.CallEvent.SessionRejected;
import org.pasarela.call.CallEvent.WebSocketClosed;
import org.pasarela.config.SipProfile;
import org.pasarela.config.SipUri;
import org.pasarela.dialplan.DestinationResolver;
import org.pasarela.dialplan.DialException;
import org.pasarela.fraud.CallGuard;
import org.pasarela.sdp.SdpException;
import org.pasarela.sdp.SdpParser;
import org.pasarela.sdp.SessionDescription;
import org.pasarela.signaling.AcceptRequest;
import org.pasarela.signaling.Ack;
import org.pasarela.signaling.CallRequest;
import org.pasarela.signaling.CandidateMessage;
import org.pasarela.signaling.ClientMessage;
import org.pasarela.signaling.DtmfRequest;
import org.pasarela.signaling.ErrorCodes;
import org.pasarela.signaling.ErrorMessage;
import org.pasarela.signaling.Hangup;
import org.pasarela.signaling.HangupRequest;
import org.pasarela.signaling.HistoryRequest;
import org.pasarela.signaling.Incoming;
import org.pasarela.signaling.LoginRequest;
import org.pasarela.signaling.PingRequest;
import org.pasarela.signaling.Pong;
import org.pasarela.signaling.RegisterRequest;
import org.pasarela.signaling.HoldRequest;
import org.pasarela.signaling.RejectRequest;
import org.pasarela.signaling.TransferRequest;
import org.pasarela.signaling.UnregisterRequest;

/**
 * One browser's WebSocket session: its login and the calls it holds (several at once, each with a
 * gateway-assigned id). Turns client messages and call events into commands for the adapters. Incoming calls
 * offered to it ({@code incoming}) live on their own lanes: the session only passes their messages to the browser
 * and routes the browser's requests about them back as {@link CallAction.ToIncomingCall} commands.
 *
 * <p>Not thread-safe; the session and all its calls are owned by one lane.
 */
public final class Session {
    private static final int DEFAULT_DTMF_MS = 100;

    private final SessionPolicy policy;
    private final Supplier<String> callIds;
    private final String name;
    private final RemoteAddress remote;
    private final Map<String, Call> calls = new LinkedHashMap<>();
    /** Incoming calls ringing (or accepted) on this session: offered by {@code incoming}, until their hangup. */
    private final Set<String> offered = new LinkedHashSet<>();
    /** The profile each offered incoming call came through (from its {@code incoming}), for transfer targets. */
    private final Map<String, String> offeredProfiles = new LinkedHashMap<>();
    /** What the toll-fraud guard admitted each call with; released when the call leaves {@link #calls}. */
    private final Map<String, CallGuard.Admitted> admissions = new LinkedHashMap<>();
    /** Profiles this session asked to be registered with. */
    private final Set<String> registrations = new LinkedHashSet<>();
    private String user;
    private boolean closed;
    /** A password login whose check runs off the lane (CheckPassword); null when none is under way. */
    private LoginRequest checking;
    /** Requests that came while a password was checked: handled after its outcome, in order. */
    private final java.util.ArrayDeque<ClientMessage> held = new java.util.ArrayDeque<>();
    /** More requests than this while a password is checked: the client is not waiting for its login ack. */
    static final int MAX_HELD = 64;

    /**
     * @param name   the session's name in logs and security events (e.g. {@code s12})
     * @param remote the WebSocket peer: failed logins are counted and banned per address
     */
    public Session(SessionPolicy policy, Supplier<String> callIds, String name, RemoteAddress remote) {
        this.policy = policy;
        this.callIds = callIds;
        this.name = java.util.Objects.requireNonNull(name, "name");
        this.remote = java.util.Objects.requireNonNull(remote, "remote");
    }

    /** A session with no known peer (tests and tools). */
    public Session(SessionPolicy policy, Supplier<String> callIds) {
        this(policy, callIds, "-", RemoteAddress.UNKNOWN);
    }

    /** The session's name in logs, security events and incoming calls (e.g. {@code s12}). */
    public String name() {
        return name;
    }

    public String user() {
        return user;
    }

    public int callCount() {
        return calls.size();
    }

    public boolean isClosed() {
        return closed;
    }

    public Call call(String callId) {
        return calls.get(callId);
    }

    public List<Command> onMessage(ClientMessage message, Instant now) {
        if (closed) {
            return List.of();
        }
        if (checking != null) {
            return hold(message);
        }
        if (message instanceof PingRequest ping) return reply(new Pong(ping.id()));
        if (message instanceof LoginRequest login) return onLogin(login, now);
        String requestId = message.id();
        if (user == null) {
            // The one gate: every request type but ping and login needs a login, including types added later.
            policy.authenticator().refusedRequest(message.type(), name, remote, now);
            return reply(new ErrorMessage(requestId, callOf(message), ErrorCodes.UNAUTHORIZED,
                    "log in first: " + typeOf(message) + " needs a successful login"));
        }
        if (message instanceof CallRequest call) return onCall(call, now);
        if (message instanceof HistoryRequest history) {
            return List.of(Command.forSession(new CallAction.LookUpHistory(history.id(), user,
                    history.effectiveLimit(), history.before())));
        }
        if (message instanceof RegisterRequest register) return onRegister(register);
        if (message instanceof UnregisterRequest unregister) return onUnregister(unregister);
        if (message instanceof AcceptRequest accept) {
            return toIncoming(requestId, accept.call(), new SessionAccepted(name, requestId, accept.jsep().sdp()));
        }
        if (message instanceof RejectRequest reject) {
            return toIncoming(requestId, reject.call(), new SessionRejected(name, requestId, reject.everywhere()));
        }
        if (message instanceof HangupRequest hangup) {
            if (isOfferedIncoming(hangup.call())) {
                return toIncoming(requestId, hangup.call(), new SessionHungUp(name, requestId));
            }
            return toCall(requestId, hangup.call(), new BrowserHungUp(requestId), now);
        }
        if (message instanceof CandidateMessage candidate) {
            if (isOfferedIncoming(candidate.call())) {
                return toIncoming(requestId, candidate.call(),
                        new SessionCandidate(name, requestId, candidate.candidate()));
            }
            return toCall(requestId, candidate.call(), new BrowserCandidate(requestId, candidate.candidate()), now);
        }
        if (message instanceof DtmfRequest dtmf) {
            int duration = dtmf.durationMs() == null ? DEFAULT_DTMF_MS : dtmf.durationMs();
            if (isOfferedIncoming(dtmf.call())) {
                return toIncoming(requestId, dtmf.call(), new SessionDtmf(name, requestId, dtmf.digits(), duration));
            }
            return toCall(requestId, dtmf.call(), new BrowserDtmf(requestId, dtmf.digits(), duration), now);
        }
        if (message instanceof HoldRequest hold) {
            if (isOfferedIncoming(hold.call())) {
                return toIncoming(requestId, hold.call(), new CallEvent.SessionHold(name, requestId, hold.hold()));
            }
            return toCall(requestId, hold.call(), new CallEvent.BrowserHold(requestId, hold.hold()), now);
        }
        if (message instanceof TransferRequest transfer) return onTransfer(transfer, now);
        throw new IllegalStateException("unhandled client message " + message);
    }

    /** An event from SIP, media or a timer for one of this session's calls. */
    public List<Command> onCallEvent(String callId, CallEvent event, Instant now) {
        Call call = calls.get(callId);
        if (call == null) {
            return List.of(); // the call ended already; late network events are expected
        }
        return run(call, call.handle(event, now));
    }

    /**
     * A message of incoming call {@code callId} for this session, passed to the browser. {@code incoming} makes
     * the call this session's to accept, reject or end; its {@code hangup} makes it unknown here again.
     */
    public List<Command> fromIncomingCall(String callId, org.pasarela.signaling.ServerMessage message) {
        if (closed) {
            return List.of(); // the call heard SessionLeft, or will
        }
        if (message instanceof Incoming incoming) {
            offered.add(callId);
            offeredProfiles.put(callId, incoming.profile());
        } else if (message instanceof Hangup) {
            offered.remove(callId);
            offeredProfiles.remove(callId);
        }
        return List.of(new Command(callId, new SendToBrowser(message)));
    }

    /** The incoming calls offered to this session and not over for it yet, in the order they came. */
    public Set<String> offeredIncomingCalls() {
        return java.util.Collections.unmodifiableSet(offered);
    }

    /** The WebSocket closed: every call of this session ends (CANCEL or BYE toward SIP). */
    public List<Command> onClosed(Instant now) {
        closed = true;
        held.clear();
        List<Command> out = new ArrayList<>();
        for (String profile : registrations) {
            out.add(Command.forSession(new CallAction.LeaveRegistration(user, profile)));
        }
        registrations.clear();
        for (Call call : List.copyOf(calls.values())) {
            out.addAll(run(call, call.handle(new WebSocketClosed(), now)));
        }
        for (String callId : offered) {
            out.add(new Command(callId, new ToIncomingCall(new SessionLeft(name))));
        }
        offered.clear();
        offeredProfiles.clear();
        return out;
    }

    /**
     * Drops a call whose handling broke an invariant (a bug, not bad input): the browser is told, the adapters
     * free what the call held. The rest of the session carries on.
     */
    public List<Command> abort(String callId, String reason) {
        Call call = calls.get(callId);
        if (call == null) {
            return List.of();
        }
        ended(callId);
        Command finish = new Command(callId, new CallAction.Finish());
        if (call.hangupSent()) {
            return List.of(finish);
        }
        return List.of(new Command(callId, new SendToBrowser(
                new org.pasarela.signaling.Hangup(callId, ErrorCodes.INTERNAL_ERROR, reason))), finish);
    }

    private List<Command> onLogin(LoginRequest login, Instant now) {
        if (user != null && login.user() != null && !user.equals(login.user())) {
            return alreadyLoggedIn(login);
        }
        if (login.token() == null && policy.passwordChecksOffLane()) {
            checking = login;
            return List.of(Command.forSession(new CallAction.CheckPassword(login.user(), login.password(), name,
                    remote)));
        }
        LoginResult result = login.token() != null
                ? policy.authenticator().withToken(login.token(), login.user(), name, remote, now)
                : policy.authenticator().withPassword(login.user(), login.password(), name, remote, now);
        return loginDecided(login, result, now);
    }

    /**
     * The outcome of the {@link CallAction.CheckPassword} this session asked for: the login's answer, then what
     * the requests held meanwhile lead to.
     */
    public List<Command> onPasswordChecked(LoginResult result, Instant now) {
        LoginRequest login = takeChecking();
        if (closed) {
            return List.of();
        }
        List<Command> out = new ArrayList<>(loginDecided(login, result, now));
        out.addAll(releaseHeld(now));
        return out;
    }

    /** The password could not be checked (the gateway is overloaded): 503 for the login, then the held requests. */
    public List<Command> onPasswordCheckUnavailable(String reason, Instant now) {
        LoginRequest login = takeChecking();
        if (closed) {
            return List.of();
        }
        List<Command> out = new ArrayList<>(reply(new ErrorMessage(login.id(), null, ErrorCodes.SERVICE_UNAVAILABLE,
                "login: " + reason)));
        out.addAll(releaseHeld(now));
        return out;
    }

    private LoginRequest takeChecking() {
        if (checking == null) {
            throw new IllegalStateException("session " + name + ": a password check ended but none was under way");
        }
        LoginRequest login = checking;
        checking = null;
        return login;
    }

    private List<Command> hold(ClientMessage message) {
        if (held.size() >= MAX_HELD) {
            return reply(new ErrorMessage(message.id(), callOf(message), ErrorCodes.TOO_MANY_REQUESTS,
                    typeOf(message) + ": more than " + MAX_HELD + " requests while the login is checked"));
        }
        held.add(message);
        return List.of();
    }

    /** Handles the held requests in order, until one is a password login that must be checked in turn. */
    private List<Command> releaseHeld(Instant now) {
        List<Command> out = new ArrayList<>();
        while (checking == null && !held.isEmpty() && !closed) {
            out.addAll(onMessage(held.poll(), now));
        }
        return out;
    }

    private List<Command> loginDecided(LoginRequest login, LoginResult result, Instant now) {
        if (result instanceof LoginResult.Banned banned) {
            return reply(new ErrorMessage(login.id(), null, ErrorCodes.TOO_MANY_REQUESTS,
                    "login: too many failed logins; try again in " + banned.secondsLeft() + " s",
                    (int) Math.min(Integer.MAX_VALUE, banned.secondsLeft())));
        }
        if (result instanceof LoginResult.Refused refused) {
            // Same answer for unknown users and wrong passwords: no user enumeration.
            return reply(new ErrorMessage(login.id(), null, ErrorCodes.UNAUTHORIZED, "login: " + refused.reason()));
        }
        String accepted = ((LoginResult.Accepted) result).user();
        if (user != null && !user.equals(accepted)) {
            return alreadyLoggedIn(login);
        }
        boolean firstLogin = user == null;
        user = accepted;
        Ack ack = new Ack(login.id(), null, policy.enabledProfileNames(user),
                policy.usableDefaultProfile(user).orElse(null), policy.iceServersFor(accepted, now));
        if (!firstLogin) {
            return reply(ack);
        }
        // Calls missed while the user was away are reported once the login is acknowledged.
        return List.of(Command.forSession(new SendToBrowser(ack)), Command.forSession(new CallAction.ReportMissed(user)));
    }

    /** One registration per (user, profile) is shared by all the user's sessions; the app layer owns it. */
    private List<Command> onRegister(RegisterRequest request) {
        String profileName = request.profile() != null ? request.profile() : policy.defaultProfile().orElse(null);
        if (profileName == null) {
            return reply(new ErrorMessage(request.id(), null, ErrorCodes.NOT_FOUND,
                    "register: no profile given and no profile.default configured"));
        }
        SipProfile profile = policy.profiles().get(profileName);
        if (profile == null) {
            return reply(new ErrorMessage(request.id(), null, ErrorCodes.NOT_FOUND,
                    "register: unknown profile '" + profileName + "'"));
        }
        if (!profile.enabled()) {
            return reply(new ErrorMessage(request.id(), null, ErrorCodes.FORBIDDEN,
                    "register: profile '" + profileName + "' is disabled (enabled = false)"));
        }
        if (profile.registration().isEmpty()) {
            return reply(new ErrorMessage(request.id(), null, ErrorCodes.CONFLICT,
                    "register: profile '" + profileName + "' does not register users (register = false)"));
        }
        registrations.add(profileName);
        return List.of(Command.forSession(new SendToBrowser(new Ack(request.id(), null))),
                Command.forSession(new CallAction.JoinRegistration(user,
                        profile.forUser(user, policy.sipPassword(user)))));
    }

    private List<Command> onUnregister(UnregisterRequest request) {
        String profileName = request.profile() != null ? request.profile() : policy.defaultProfile().orElse(null);
        if (profileName == null || !registrations.remove(profileName)) {
            return reply(new ErrorMessage(request.id(), null, ErrorCodes.CONFLICT,
                    "unregister: this session did not register with profile '" + profileName + "'"));
        }
        return List.of(Command.forSession(new SendToBrowser(new Ack(request.id(), null))),
                Command.forSession(new CallAction.LeaveRegistration(user, profileName)));
    }

    private static List<Command> alreadyLoggedIn(LoginRequest login) {
        return reply(new ErrorMessage(login.id(), null, ErrorCodes.CONFLICT,
                "login: this session is already logged in as another user; open a new connection"));
    }

    private List<Command> onCall(CallRequest request, Instant now) {
        if (calls.size() >= policy.maxCallsPerSession()) {
            return reply(new ErrorMessage(request.id(), null, ErrorCodes.TOO_MANY_CALLS,
                    "call: this session already has " + calls.size() + " calls (call.max-per-session)"));
        }
        String profileName = request.profile() != null ? request.profile() : policy.defaultProfile().orElse(null);
        if (profileName == null) {
            return reply(new ErrorMessage(request.id(), null, ErrorCodes.NOT_FOUND,
                    "call: no profile given and no profile.default configured"));
        }
        SipProfile profile = policy.profiles().get(profileName);
        if (profile == null) {
            return reply(new ErrorMessage(request.id(), null, ErrorCodes.NOT_FOUND,
                    "call: unknown profile '" + profileName + "'"));
        }
        profile = profile.forUser(user, policy.sipPassword(user));
        if (!profile.enabled()) {
            return reply(new ErrorMessage(request.id(), null, ErrorCodes.FORBIDDEN,
                    "call: profile '" + profileName + "' is disabled (enabled = false)"));
        }
        SipUri requestUri;
        try {
            requestUri = DestinationResolver.resolve(request.to(), profile);
        } catch (DialException e) {
            return reply(new ErrorMessage(request.id(), null, ErrorCodes.BAD_REQUEST, "call: to: " + e.getMessage()));
        }
        SessionDescription offer;
        try {
            offer = SdpParser.parse(request.jsep().sdp());
        } catch (SdpException e) {
            return reply(new ErrorMessage(request.id(), null, ErrorCodes.NOT_ACCEPTABLE_HERE,
                    "call: jsep.sdp: " + e.getMessage()));
        }
        CallGuard.Admission admission = policy.guard().admit(new CallGuard.Attempt(user, name, remote, profileName,
                CallGuard.dialledNumber(requestUri.user())), now);
        if (admission instanceof CallGuard.Refused refused) {
            return reply(new ErrorMessage(request.id(), null, ErrorCodes.FORBIDDEN, "call: " + refused.reason()));
        }
        Duration noAnswer = profile.noAnswerTimeout().orElse(policy.noAnswerTimeout());
        String fromUser = profile.fromUserFor(user);
        Call call;
        try {
            call = new Call(new CallSetup(callIds.get(), request.id(), profile, requestUri, fromUser, offer, noAnswer));
        } catch (RuntimeException e) {
            ((CallGuard.Admitted) admission).release(); // a call that never existed holds no slot
            throw e;
        }
        calls.put(call.id(), call);
        admissions.put(call.id(), (CallGuard.Admitted) admission);
        return run(call, call.start());
    }

    /**
     * A blind transfer: {@code to} is dialled through the call's own profile and must pass the same toll-fraud
     * number rules as a call (the far end places that call for us), before the REFER is the call's business.
     */
    private List<Command> onTransfer(TransferRequest request, Instant now) {
        String callId = request.call();
        boolean incoming = isOfferedIncoming(callId);
        Call call = calls.get(callId);
        SipProfile profile;
        if (incoming) {
            SipProfile configured = policy.profiles().get(offeredProfiles.get(callId));
            profile = configured == null ? null : configured.forUser(user, policy.sipPassword(user));
        } else if (call != null) {
            profile = call.profile();
        } else {
            return reply(new ErrorMessage(request.id(), callId, ErrorCodes.NOT_FOUND, "unknown call '" + callId + "'"));
        }
        if (profile == null) {
            return reply(new ErrorMessage(request.id(), callId, ErrorCodes.NOT_FOUND,
                    "transfer: call '" + callId + "' came through profile '" + offeredProfiles.get(callId)
                            + "', which this gateway does not know"));
        }
        SipUri target;
        try {
            target = DestinationResolver.resolve(request.to(), profile);
        } catch (DialException e) {
            return reply(new ErrorMessage(request.id(), callId, ErrorCodes.BAD_REQUEST,
                    "transfer: to: " + e.getMessage()));
        }
        CallGuard.Admission admission = policy.guard().admitTransfer(new CallGuard.Attempt(user, name, remote,
                profile.name(), CallGuard.dialledNumber(target.user())), now);
        if (admission instanceof CallGuard.Refused refused) {
            return reply(new ErrorMessage(request.id(), callId, ErrorCodes.FORBIDDEN,
                    "transfer: " + refused.reason()));
        }
        if (incoming) {
            return toIncoming(request.id(), callId, new CallEvent.SessionTransfer(name, request.id(), target));
        }
        return run(call, call.handle(new CallEvent.BrowserTransfer(request.id(), target), now));
    }

    private List<Command> toCall(String requestId, String callId, CallEvent event, Instant now) {
        Call call = calls.get(callId);
        if (call == null) {
            return reply(new ErrorMessage(requestId, callId, ErrorCodes.NOT_FOUND, "unknown call '" + callId + "'"));
        }
        return run(call, call.handle(event, now));
    }

    /** Whether {@code callId} names an incoming call offered here (an outbound call of this session wins a tie). */
    private boolean isOfferedIncoming(String callId) {
        return offered.contains(callId) && !calls.containsKey(callId);
    }

    /** A request for an incoming call goes to that call's own lane; unknown (or no longer offered) ids get 404. */
    private List<Command> toIncoming(String requestId, String callId, CallEvent event) {
        if (!offered.contains(callId)) {
            return reply(new ErrorMessage(requestId, callId, ErrorCodes.NOT_FOUND, "unknown call '" + callId + "'"));
        }
        return List.of(new Command(callId, new ToIncomingCall(event)));
    }

    private List<Command> run(Call call, List<CallAction> actions) {
        if (call.state() == CallState.ENDED) {
            ended(call.id());
        }
        List<Command> out = new ArrayList<>(actions.size());
        for (CallAction action : actions) {
            out.add(new Command(call.id(), action));
        }
        return out;
    }

    /** Forgets a call that is over and frees its slot in the user's call limits. */
    private void ended(String callId) {
        calls.remove(callId);
        CallGuard.Admitted admitted = admissions.remove(callId);
        if (admitted != null) {
            admitted.release();
        }
    }

    private static List<Command> reply(org.pasarela.signaling.ServerMessage message) {
        return List.of(Command.forSession(new SendToBrowser(message)));
    }

    /** The call a client message is about, if it names one. */
    public static String callOf(ClientMessage message) {
        if (message instanceof HangupRequest m) return m.call();
        if (message instanceof CandidateMessage m) return m.call();
        if (message instanceof DtmfRequest m) return m.call();
        if (message instanceof AcceptRequest m) return m.call();
        if (message instanceof RejectRequest m) return m.call();
        if (message instanceof HoldRequest m) return m.call();
        if (message instanceof TransferRequest m) return m.call();
        return null;
    }

    private static String typeOf(ClientMessage message) {
        if (message instanceof CallRequest) return "call";
        if (message instanceof HangupRequest) return "hangup";
        if (message instanceof CandidateMessage) return "candidate";
        if (message instanceof DtmfRequest) return "dtmf";
        if (message instanceof HistoryRequest) return "history";
        if (message instanceof RegisterRequest) return "register";
        if (message instanceof UnregisterRequest) return "unregister";
        if (message instanceof AcceptRequest) return "accept";
        if (message instanceof RejectRequest) return "reject";
        if (message instanceof LoginRequest) return "login";
        if (message instanceof PingRequest) return "ping";
        if (message instanceof HoldRequest m) return m.type();
        if (message instanceof TransferRequest) return "transfer";
        return message.getClass().getSimpleName();
    }
}

package org.pasarela.transport.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TooManyListenersException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLContext;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.ObjectInUseException;
import javax.sip.PeerUnavailableException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.Dialog;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.pasarela.config.SipProfile;
import org.pasarela.config.Transport;
import org.pasarela.dialplan.InboundInvite;
import org.pasarela.dialplan.InboundRoute;
import org.pasarela.dialplan.InboundRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's SIP user agent: one JAIN-SIP stack listening on the configured address and port (UDP and TCP)
 * and TLS port, dispatching what arrives to the {@link SipLeg} of each call by Call-ID. With TLS, the stack's
 * sockets come from {@link SipNetworkLayer}, which checks every TLS server's certificate and name.
 *
 * <p>JAIN-SIP calls the listener on one delivery thread, in arrival order (see {@link SipStacks#create}); the
 * listener only looks up the leg and hands it the event, which the leg turns into a {@code CallEvent} posted to
 * the call's lane. Nothing here blocks.
 *
 * <p><b>Incoming calls.</b> Until {@link #onInvite} is called, every INVITE that starts a dialog gets 480. After
 * {@code onInvite(router, handler)}, each such INVITE is routed by the pure {@link InboundRouter} on the delivery
 * thread: a refusal is answered statelessly (no transaction, no leg: a scanner costs no state) and reported to
 * {@link InboundInvites#refused}; a call to a user or group gets a {@link SipInboundLeg} (100 Trying sent at
 * once), registered by Call-ID so that the caller's CANCEL, ACK, BYE, re-INVITE and INFO reach it and a
 * retransmitted INVITE creates no second leg, and is handed to {@link InboundInvites#invite}. The app then
 * binds the leg to its call ({@link SipInboundLeg#bind}) and drives it ({@code sendRinging}, {@code answer},
 * {@code reject}, {@code sendBye}, ...), and calls {@link SipInboundLeg#forget} when the call is over. Rule (1)
 * of the router needs the addresses of each registering profile's proxy: the endpoint resolves them on the sender
 * pool when {@code onInvite} is called and every {@link #PROXY_REFRESH} after, and routes with the last answer
 * (an unresolved proxy trusts nobody but the profile's {@code inbound.networks}).
 */
public final class SipEndpoint implements SipListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SipEndpoint.class);

    private final SipStackImpl stack;
    private final SipProvider provider;
    private final Map<Transport, ListeningPoint> listeningPoints;
    private final SipContext context;
    private final Map<String, SipLeg> legs = new ConcurrentHashMap<>();
    private final Map<String, SipRegistration> registrations = new ConcurrentHashMap<>();
    private final Map<String, SipInboundLeg> inboundLegs = new ConcurrentHashMap<>();
    /** How often the proxies of registering profiles are looked up again for {@link InboundRouter} rule (1). */
    public static final java.time.Duration PROXY_REFRESH = java.time.Duration.ofMinutes(5);
    private volatile InboundRouter router;
    private volatile InboundInvites inbound;
    /** Each registering profile's proxy addresses, by profile name; replaced whole by each refresh. */
    private volatile Map<String, Set<String>> proxyAddresses = Map.of();
    private volatile ScheduledFuture<?> proxyRefresh;
    private volatile SipFloodGate floodGate;

    private SipEndpoint(SipStackImpl stack, SipProvider provider, Map<Transport, ListeningPoint> listeningPoints,
                        SipContext context) {
        this.stack = stack;
        this.provider = provider;
        this.listeningPoints = listeningPoints;
        this.context = context;
    }

    /**
     * Starts the stack and binds every transport.
     *
     * @throws SipStartException naming the address, port and transport that could not be bound
     */
    public static SipEndpoint start(SipEndpointSettings settings, ExecutorService sender,
                                    ScheduledExecutorService scheduler) throws SipStartException {
        String stackName = "pasarela-" + settings.port();
        TlsPeerNames tlsPeers = new TlsPeerNames();
        SipStackImpl stack;
        try {
            if (settings.transports().contains(Transport.TLS)) {
                SSLContext tls = SipTlsContext.create(settings.tls().orElseThrow(() -> new SipStartException(
                        "sip.transports includes tls but no tls.certificate and tls.key are configured")));
                stack = SipStacks.create(stackName, false, tls, new SipNetworkLayer(tls, tlsPeers));
            } else {
                stack = SipStacks.create(stackName, false);
            }
        } catch (PeerUnavailableException e) {
            throw new SipStartException("cannot create the SIP stack: " + e.getMessage(), e);
        } catch (TlsMaterialException e) {
            throw new SipStartException("cannot set up SIP over TLS: " + e.getMessage(), e);
        }
        HeaderFactory headers = new HeaderFactoryImpl();
        AddressFactory addresses = new AddressFactoryImpl();
        MessageFactory messages = new MessageFactoryImpl();
        Map<Transport, ListeningPoint> points = new ConcurrentHashMap<>();
        SipProvider provider = null;
        try {
            for (Transport transport : settings.transports()) {
                ListeningPoint point = listen(stack, settings, transport);
                points.put(transport, point);
                if (provider == null) {
                    provider = stack.createSipProvider(point);
                } else {
                    provider.addListeningPoint(point);
                }
            }
            if (provider == null) {
                throw new SipStartException("sip.transports is empty: the gateway needs at least one SIP transport");
            }
            SipContext context = new SipContext(provider, headers, addresses, messages, points, settings,
                    sender, scheduler, new SipResolver(settings.dnsServer(), tlsPeers));
            SipEndpoint endpoint = new SipEndpoint(stack, provider, points, context);
            provider.addSipListener(endpoint);
            stack.start();
            return endpoint;
        } catch (TooManyListenersException | SipException e) {
            SipStacks.stop(stack, provider, null, settings.address(), settings.port());
            throw new SipStartException("cannot start SIP on " + settings.address() + ":" + settings.port() + ": "
                    + e.getMessage(), e);
        } catch (SipStartException e) {
            SipStacks.stop(stack, provider, null, settings.address(), settings.port());
            throw e;
        }
    }

    private static ListeningPoint listen(SipStackImpl stack, SipEndpointSettings settings, Transport transport)
            throws SipStartException {
        int port = transport == Transport.TLS ? settings.tlsPort() : settings.port();
        try {
            return stack.createListeningPoint(settings.address(), port, transport.name().toLowerCase());
        } catch (InvalidArgumentException e) {
            throw new SipStartException("cannot listen for SIP on " + settings.address() + ":" + port + "/"
                    + transport + ": " + e.getMessage(), e);
        } catch (javax.sip.TransportNotSupportedException e) {
            throw new SipStartException("SIP transport " + transport + " is not supported: " + e.getMessage(), e);
        }
    }

    /** Creates the SIP leg of a new call; the leg sends nothing until told to. */
    public SipLeg newLeg(String callId, SipLegEvents events) {
        CallIdHeader sipCallId = provider.getNewCallId();
        SipLeg leg = new SipLeg(callId, sipCallId, context, events, () -> legs.remove(sipCallId.getCallId()));
        legs.put(sipCallId.getCallId(), leg);
        return leg;
    }

    /**
     * Creates the SIP side of one registration, with its own Call-ID; responses to its REGISTERs are routed to it
     * by Call-ID, like a leg's. It sends nothing until told to.
     *
     * @param aor         the address-of-record, e.g. {@code sip:alice@pbx.example.org} (From and To)
     * @param requestUri  the registrar's URI, e.g. {@code sip:pbx.example.org}
     * @param contactUser the user part of the Contact (the SIP user)
     * @param webUser     the web user, written into the Contact so requests routed to it can be mapped back
     */
    public SipRegistration newRegistration(org.pasarela.config.SipProfile profile, String aor, String requestUri,
                                           String contactUser, String webUser,
                                           java.util.function.Consumer<org.pasarela.registration.RegistrationEvent> events) {
        CallIdHeader sipCallId = provider.getNewCallId();
        SipRegistration registration = new SipRegistration(context, sipCallId, profile, aor, requestUri, contactUser,
                webUser, events, () -> registrations.remove(sipCallId.getCallId()));
        registrations.put(sipCallId.getCallId(), registration);
        return registration;
    }

    /**
     * Starts taking incoming calls: from now on dialog-creating INVITEs are routed by {@code router} and the calls
     * it routes are handed to {@code handler} (see the class comment). Resolves the registering profiles' proxies
     * at once, off this thread, and every {@link #PROXY_REFRESH}. Call once, after start.
     */
    public void onInvite(InboundRouter router, InboundInvites handler) {
        this.router = java.util.Objects.requireNonNull(router, "router");
        this.inbound = java.util.Objects.requireNonNull(handler, "handler");
        List<SipProfile> profiles = router.registeringProfiles();
        if (!profiles.isEmpty()) {
            context.sender.execute(() -> refreshProxyAddresses(profiles));
            long every = PROXY_REFRESH.toMillis();
            proxyRefresh = context.scheduler.scheduleWithFixedDelay(
                    () -> context.sender.execute(() -> refreshProxyAddresses(profiles)), every, every,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** The registering profiles' proxy addresses as last resolved, by profile name. */
    public Map<String, Set<String>> proxyAddresses() {
        return proxyAddresses;
    }

    /** Blocking (DNS): runs on the sender pool. A failed lookup keeps the profile's previous addresses. */
    private void refreshProxyAddresses(List<SipProfile> profiles) {
        Map<String, Set<String>> next = new java.util.HashMap<>(proxyAddresses);
        for (SipProfile profile : profiles) {
            try {
                next.put(profile.name(), Set.copyOf(context.resolver.sourceAddresses(profile.proxy(),
                        profile.transport())));
            } catch (SipResolutionException | RuntimeException e) {
                log.warn("profile {}: cannot resolve its proxy for incoming calls: {}", profile.name(),
                        e.getMessage());
            }
        }
        proxyAddresses = Map.copyOf(next);
    }

    public int activeInboundLegs() {
        return inboundLegs.size();
    }

    public int activeRegistrations() {
        return registrations.size();
    }

    public int activeLegs() {
        return legs.size();
    }

    public boolean supports(Transport transport) {
        return listeningPoints.containsKey(transport);
    }

    /**
     * From now on, requests that belong to no call or registration of ours pass {@code gate} first; a source
     * that sends them too fast is ignored for a while (see {@link SipFloodGate}). Without it nothing is limited.
     */
    public void limitFloods(SipFloodGate gate) {
        this.floodGate = java.util.Objects.requireNonNull(gate, "gate");
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        if (!admitted(request)) {
            return; // a flooding source (a scanner's sweep): no response at all
        }
        SipLeg leg = legFor(request.getHeader(CallIdHeader.NAME));
        SipInboundLeg inboundLeg = leg == null ? inboundLegFor(request.getHeader(CallIdHeader.NAME)) : null;
        boolean newDialog = Request.INVITE.equals(request.getMethod()) && !hasToTag(request);
        try {
            if (leg != null && newDialog) {
                // Our own INVITE come back to us through a proxy loop (RFC 3261 §8.2.2.2).
                context.respondStatelessly(event, Response.LOOP_DETECTED);
            } else if (leg != null) {
                leg.onRequest(event);
            } else if (inboundLeg != null && newDialog) {
                if (!inboundLeg.isRetransmissionOf(request)) {
                    // Same Call-ID, new transaction, no To tag: a merged request (§8.2.2.2).
                    context.respondStatelessly(event, Response.LOOP_DETECTED);
                }
            } else if (inboundLeg != null) {
                inboundLeg.onRequest(event);
            } else if (newDialog && router != null) {
                acceptInvite(event);
            } else if (!Request.ACK.equals(request.getMethod())) {
                answerOutsideAnyCall(event);
            }
        } catch (RuntimeException e) {
            log.warn("SIP {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
        }
    }

    /** A new dialog-creating INVITE: routed, then refused statelessly or given a leg and handed to the app. */
    private void acceptInvite(RequestEvent event) {
        Request request = event.getRequest();
        InboundInvite invite = InboundInviteReader.read(request);
        InboundRoute route = router.route(invite, proxyAddresses);
        if (route instanceof InboundRoute.Refuse refusal) {
            context.respondStatelessly(event, refusal.code(), refusal.reason());
            inbound.refused(invite, refusal);
            return;
        }
        ServerTransaction transaction;
        try {
            transaction = event.getServerTransaction() != null ? event.getServerTransaction()
                    : provider.getNewServerTransaction(request);
        } catch (SipException e) {
            // TransactionAlreadyExists: a retransmission raced us; the first copy has its leg.
            log.debug("INVITE {}: no server transaction: {}", invite.requestUri(), e.toString());
            return;
        }
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        SipInboundLeg created = new SipInboundLeg(context, transaction, invite.transport(),
                invite.requestUser() != null && !invite.requestUser().isBlank() ? invite.requestUser() : "pasarela",
                () -> inboundLegs.remove(callId));
        inboundLegs.put(callId, created);
        try {
            inbound.invite(created, invite, route);
        } catch (RuntimeException e) {
            log.warn("incoming call {} from {}: the handler failed: {}", callId, invite.sourceAddress(), e.toString());
            created.forget();
        }
    }

    /** Requests for no call of ours: OPTIONS keepalives are answered; everything else is refused. */
    private void answerOutsideAnyCall(RequestEvent event) {
        Request request = event.getRequest();
        int code = switch (request.getMethod()) {
            case Request.OPTIONS -> Response.OK;
            // Incoming calls to web users arrive with registration support; until then nobody is reachable.
            case Request.INVITE -> Response.TEMPORARILY_UNAVAILABLE;
            case Request.CANCEL, Request.BYE, Request.INFO, Request.UPDATE, "PRACK" ->
                    Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST;
            default -> Response.METHOD_NOT_ALLOWED;
        };
        context.respondStatelessly(event, code);
    }

    @Override
    public void processResponse(ResponseEvent event) {
        SipLeg leg = legFor(event.getResponse().getHeader(CallIdHeader.NAME));
        SipInboundLeg inboundLeg = inboundLegFor(event.getResponse().getHeader(CallIdHeader.NAME));
        if (leg == null && inboundLeg != null) {
            try {
                inboundLeg.onResponse(event);
            } catch (RuntimeException e) {
                log.warn("SIP response {} for incoming {}: {}", event.getResponse().getStatusCode(),
                        inboundLeg.sipCallId(), e.toString());
            }
            return;
        }
        SipRegistration registration = registrationFor(event.getResponse().getHeader(CallIdHeader.NAME));
        if (registration != null) {
            try {
                registration.onResponse(event);
            } catch (RuntimeException e) {
                log.warn("SIP response {} to REGISTER: {}", event.getResponse().getStatusCode(), e.toString());
            }
            return;
        }
        if (leg == null) {
            endLateAnswer(event);
            return;
        }
        try {
            leg.onResponse(event);
        } catch (RuntimeException e) {
            log.warn("SIP response {} for {}: {}", event.getResponse().getStatusCode(), leg.callId(), e.toString());
        }
    }

    /**
     * A 2xx for a call we already forgot (it answered after our CANCEL guard or Timer B): the far end is now in
     * a call nobody will use, so ACK it and end it (RFC 3261 §13.2.2.4, §15).
     */
    private void endLateAnswer(ResponseEvent event) {
        Response response = event.getResponse();
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        Dialog dialog = event.getDialog();
        if (dialog == null || cseq == null || !Request.INVITE.equals(cseq.getMethod())
                || response.getStatusCode() < 200 || response.getStatusCode() >= 300) {
            return;
        }
        context.sender.execute(() -> {
            try {
                dialog.sendAck(dialog.createAck(cseq.getSeqNumber()));
                dialog.sendRequest(provider.getNewClientTransaction(dialog.createRequest(Request.BYE)));
                log.info("ended a late answer from {} to a call that was over", dialog.getRemoteParty());
            } catch (SipException | InvalidArgumentException e) {
                log.debug("cannot end a late answer: {}", e.toString());
            }
        });
    }

    /** Requests of our calls and registrations always pass; the rest go through the flood gate, if any. */
    private boolean admitted(Request request) {
        SipFloodGate gate = floodGate;
        if (gate == null) {
            return true;
        }
        Object callId = request.getHeader(CallIdHeader.NAME);
        boolean ours = callId instanceof CallIdHeader header
                && (legs.containsKey(header.getCallId()) || inboundLegs.containsKey(header.getCallId())
                || registrations.containsKey(header.getCallId()));
        return ours || gate.admits(request);
    }

    private static boolean hasToTag(Request request) {
        Object to = request.getHeader(ToHeader.NAME);
        return to instanceof ToHeader header && header.getTag() != null;
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (event.isServerTransaction()) {
            return;
        }
        Request request = event.getClientTransaction().getRequest();
        SipRegistration registration = registrationFor(request.getHeader(CallIdHeader.NAME));
        if (registration != null && Request.REGISTER.equals(request.getMethod())) {
            registration.onTimeout();
            return;
        }
        SipLeg leg = legFor(request.getHeader(CallIdHeader.NAME));
        if (leg != null) {
            leg.onTimeout(event.getClientTransaction());
            return;
        }
        SipInboundLeg inboundLeg = inboundLegFor(request.getHeader(CallIdHeader.NAME));
        if (inboundLeg != null) {
            inboundLeg.onTimeout(event.getClientTransaction());
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        log.debug("SIP transport error toward {}:{}/{}", event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // Legs track their own transactions; nothing to free here.
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // Dialog state that matters to a call reaches it through responses and BYE.
    }

    private SipRegistration registrationFor(Object callIdHeader) {
        return callIdHeader instanceof CallIdHeader header ? registrations.get(header.getCallId()) : null;
    }

    private SipInboundLeg inboundLegFor(Object callIdHeader) {
        return callIdHeader instanceof CallIdHeader header ? inboundLegs.get(header.getCallId()) : null;
    }

    private SipLeg legFor(Object callIdHeader) {
        if (!(callIdHeader instanceof CallIdHeader header)) {
            return null;
        }
        return legs.get(header.getCallId());
    }

    @Override
    public void close() {
        ScheduledFuture<?> refresh = proxyRefresh;
        if (refresh != null) {
            refresh.cancel(false);
        }
        for (SipLeg leg : new ArrayList<>(legs.values())) {
            leg.forget();
        }
        for (SipInboundLeg leg : new ArrayList<>(inboundLegs.values())) {
            leg.forget();
        }
        SipStacks.stop(stack, provider, this, context.settings.address(), context.settings.port());
    }

}

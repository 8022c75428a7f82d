package org.pasarela.echo;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.header.CallIdHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.pasarela.sip.SipReasons;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The echo service's SIP user agent server: answers every INVITE with an echo of its media, and handles ACK, BYE,
 * CANCEL, re-INVITE and OPTIONS (RFC 3261 §13, §15, §9, §14, §11). JAIN-SIP threads only create server
 * transactions and post the rest to the lane, a single-thread executor that owns every {@link EchoCall}.
 */
final class EchoUserAgent implements SipListener {

    private static final Logger log = LoggerFactory.getLogger(EchoUserAgent.class);
    private static final List<String> ALLOWED = List.of("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS");
    /** RFC 3261 and extension methods we recognise but do not support: 405, not 501 (RFC 3261 §8.2.1). */
    private static final Set<String> KNOWN = Set.of("REGISTER", "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO",
            "REFER", "MESSAGE", "UPDATE");

    private final SipProvider provider;
    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final InetAddress address;
    private final int sipPort;
    private final RtpEcho rtp;
    private final ScheduledExecutorService lane;
    private final EchoSettings settings;
    private final Map<String, EchoCall> calls = new ConcurrentHashMap<>();
    private final AtomicLong sessionIds = new AtomicLong(System.currentTimeMillis() / 1000);

    EchoUserAgent(SipProvider provider, MessageFactory messages, HeaderFactory headers, AddressFactory addresses,
                  InetAddress address, int sipPort, RtpEcho rtp, ScheduledExecutorService lane,
                  EchoSettings settings) {
        this.provider = provider;
        this.messages = messages;
        this.headers = headers;
        this.addresses = addresses;
        this.address = address;
        this.sipPort = sipPort;
        this.rtp = rtp;
        this.lane = lane;
        this.settings = settings;
    }

    int activeCalls() {
        return calls.size();
    }

    // ---- JAIN-SIP threads: create the transaction, then hand over to the lane ----

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        if (Request.ACK.equals(request.getMethod())) {
            post(() -> onAck(request));
            return;
        }
        ServerTransaction st = event.getServerTransaction();
        try {
            if (st == null) st = provider.getNewServerTransaction(request);
        } catch (TransactionAlreadyExistsException retransmission) {
            return;
        } catch (Exception e) {
            log.warn("echo: no server transaction for {}: {}", request.getMethod(), e.toString());
            return;
        }
        ServerTransaction tx = st;
        post(() -> onRequest(tx));
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (event.isServerTransaction()) {
            String callId = callId(event.getServerTransaction().getRequest());
            post(() -> release(callId, "INVITE transaction timed out"));
        }
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        String callId = event.getDialog().getCallId().getCallId();
        post(() -> release(callId, "dialog terminated"));
    }

    @Override
    public void processResponse(ResponseEvent event) {
        log.debug("echo: {} to our {}", event.getResponse().getStatusCode(),
                event.getClientTransaction() == null ? "request" : event.getClientTransaction().getRequest().getMethod());
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        log.debug("echo: I/O error towards {}:{}/{}", event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // transactions end by themselves; calls end on BYE, CANCEL, timeouts and dialog termination
    }

    // ---- the lane ----

    /** Ends every call: BYE for answered ones, 480 for ringing ones. Runs on the lane during close. */
    void hangUpAll() {
        for (EchoCall call : List.copyOf(calls.values())) hangUp(call, "echo service closing");
    }

    private void post(Runnable task) {
        try {
            lane.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("echo: bug while handling SIP event", e);
                }
            });
        } catch (RejectedExecutionException closing) {
            log.debug("echo: event dropped, service is closing");
        }
    }

    private void onRequest(ServerTransaction st) {
        Request request = st.getRequest();
        String method = request.getMethod();
        switch (method) {
            case Request.INVITE:
                if (toTag(request) == null) onInvite(st); else onReInvite(st);
                break;
            case Request.BYE:
                onBye(st);
                break;
            case Request.CANCEL:
                onCancel(st);
                break;
            case Request.OPTIONS:
                Response ok = response(200, request);
                allowAndAccept(ok);
                send(st, ok);
                break;
            default:
                if (KNOWN.contains(method)) {
                    Response notAllowed = response(405, request);
                    allowAndAccept(notAllowed);
                    send(st, notAllowed);
                } else {
                    send(st, response(501, request));
                }
        }
    }

    /** RFC 3261 §13.3.1: 100, 180, then (after the ringing delay) 200 with the echo's SDP. */
    private void onInvite(ServerTransaction st) {
        Request request = st.getRequest();
        String callId = callId(request);
        if (calls.containsKey(callId)) {
            send(st, response(482, request)); // merged request, RFC 3261 §8.2.2.2
            return;
        }
        if (calls.size() >= settings.maxCalls()) {
            send(st, response(486, request));
            return;
        }
        Optional<Optional<EchoSdp.Selection>> offer = offer(st, request);
        if (offer.isEmpty()) {
            return;
        }
        EchoSdp.Selection selection = offer.get().orElse(null);
        RtpEcho.Ports ports;
        try {
            ports = rtp.open(address);
        } catch (IOException e) {
            log.warn("echo: no RTP ports for call {}: {}", callId, e.getMessage());
            send(st, response(503, request));
            return;
        }
        EchoCall call = new EchoCall(callId, st, UUID.randomUUID().toString().substring(0, 8), ports,
                sessionIds.incrementAndGet(), selection);
        calls.put(callId, call);
        send(st, response(100, request));
        send(st, dialogResponse(180, call, request));
        call.answerTimer = lane.schedule(() -> post(() -> answer(call)),
                settings.ringingDelay().toMillis(), TimeUnit.MILLISECONDS);
        log.info("echo call {}: ringing, RTP on {}:{}", callId, address.getHostAddress(), ports.rtpPort());
    }

    private void answer(EchoCall call) {
        if (call.state() != EchoCall.State.EARLY) return;
        Request request = call.invite.getRequest();
        Response ok = dialogResponse(200, call, request);
        setSdp(ok, sdpFor(call, call.selection));
        call.awaitingAnswerInAck = call.selection == null;
        if (!send(call.invite, ok)) {
            release(call.callId, "200 OK could not be sent");
            return;
        }
        call.dialog = call.invite.getDialog();
        call.moveTo(EchoCall.State.ANSWERED, "200 OK sent");
        Duration max = settings.maxCallDuration();
        call.sessionTimer = lane.schedule(() -> post(() -> hangUp(call, "max call duration " + max + " reached")),
                max.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onAck(Request ack) {
        EchoCall call = calls.get(callId(ack));
        if (call == null) return;
        if (call.state() == EchoCall.State.ANSWERED) call.moveTo(EchoCall.State.CONFIRMED, "ACK received");
        if (!call.awaitingAnswerInAck) return;
        call.awaitingAnswerInAck = false;
        String body = body(ack);
        try {
            if (body == null) throw new EchoSdpException(EchoSdp.WARN_MISC, "ACK carried no SDP answer");
            EchoSdp.checkAnswer(body);
        } catch (EchoSdpException e) {
            hangUp(call, "unusable answer in ACK: " + e.getMessage());
        }
    }

    /** RFC 3261 §14.2: a new offer (or none) inside the dialog is answered on the same RTP port. */
    private void onReInvite(ServerTransaction st) {
        Request request = st.getRequest();
        EchoCall call = calls.get(callId(request));
        if (call == null) {
            send(st, response(481, request));
            return;
        }
        if (call.state() == EchoCall.State.EARLY) {
            Response busy = response(500, request);
            try {
                busy.addHeader(headers.createRetryAfterHeader(1 + (int) (Math.random() * 10)));
            } catch (Exception e) {
                throw new IllegalStateException("Retry-After header rejected", e);
            }
            send(st, busy);
            return;
        }
        Optional<Optional<EchoSdp.Selection>> offer = offer(st, request);
        if (offer.isEmpty()) {
            return; // refused; a re-INVITE's call goes on with the old session, §14.2
        }
        EchoSdp.Selection selection = offer.get().orElse(null);
        call.sdpVersion++;
        Response ok = response(200, request);
        addContact(ok, request);
        setSdp(ok, sdpFor(call, selection));
        call.awaitingAnswerInAck = selection == null;
        send(st, ok);
    }

    private void onBye(ServerTransaction st) {
        Request request = st.getRequest();
        EchoCall call = calls.get(callId(request));
        if (call == null) {
            send(st, response(481, request));
            return;
        }
        release(call.callId, "BYE received");
        send(st, response(200, request));
    }

    /** RFC 3261 §9.2: 200 to the CANCEL; 487 to the INVITE if it has no final response yet. */
    private void onCancel(ServerTransaction st) {
        Request cancel = st.getRequest();
        EchoCall call = calls.get(callId(cancel));
        if (call == null) {
            send(st, response(481, cancel));
            return;
        }
        boolean ringing = call.state() == EchoCall.State.EARLY;
        if (ringing) release(call.callId, "CANCEL received");
        send(st, response(200, cancel));
        if (ringing) send(call.invite, dialogResponse(487, call, call.invite.getRequest()));
    }

    /** Releases first, then tells the caller, so that anyone who sees the BYE/480 sees the ports free. */
    private void hangUp(EchoCall call, String why) {
        EchoCall.State was = call.state();
        release(call.callId, why);
        if (was == EchoCall.State.EARLY) {
            send(call.invite, dialogResponse(480, call, call.invite.getRequest()));
        } else if (was != EchoCall.State.TERMINATED && call.dialog != null) {
            try {
                Request bye = call.dialog.createRequest(Request.BYE);
                ClientTransaction ct = provider.getNewClientTransaction(bye);
                call.dialog.sendRequest(ct);
            } catch (Exception e) {
                log.warn("echo call {}: BYE not sent: {}", call.callId, e.toString());
            }
        }
    }

    private void release(String callId, String why) {
        EchoCall call = calls.remove(callId);
        if (call == null) return;
        call.release(why);
        log.info("echo call {}: ended ({})", callId, why);
    }

    // ---- message building ----

    private String sdpFor(EchoCall call, EchoSdp.Selection selection) {
        int port = call.ports.rtpPort();
        return selection == null ? EchoSdp.offer(address, port, call.sessionId, call.sdpVersion)
                : EchoSdp.answer(selection, address, port, call.sessionId, call.sdpVersion);
    }

    private Response response(int code, Request request) {
        try {
            Response response = messages.createResponse(code, request);
            response.setReasonPhrase(SipReasons.reasonPhrase(code));
            return response;
        } catch (ParseException e) {
            throw new IllegalStateException("JAIN-SIP rejected a " + code + " response", e);
        }
    }

    /** A response that creates or continues the echo's dialog: our To tag and a Contact (RFC 3261 §12.1.1). */
    private Response dialogResponse(int code, EchoCall call, Request request) {
        Response response = response(code, request);
        try {
            ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(call.toTag);
        } catch (ParseException e) {
            throw new IllegalStateException("To tag " + call.toTag + " rejected", e);
        }
        if (code < 300) addContact(response, request);
        return response;
    }

    /**
     * The codec choice for the request's SDP offer: empty inside when it has no SDP (we offer, it answers in the
     * ACK); empty outside when the offer cannot be used, which has then been answered 488.
     */
    private Optional<Optional<EchoSdp.Selection>> offer(ServerTransaction st, Request request) {
        String body = body(request);
        if (body == null) {
            return Optional.of(Optional.empty());
        }
        try {
            return Optional.of(Optional.of(EchoSdp.select(body)));
        } catch (EchoSdpException e) {
            send(st, notAcceptable(request, e));
            return Optional.empty();
        }
    }

    private Response notAcceptable(Request request, EchoSdpException e) {
        Response response = response(488, request);
        try {
            response.addHeader(headers.createWarningHeader(agentName(), e.warningCode(), e.getMessage()));
        } catch (Exception bad) {
            throw new IllegalStateException("Warning header rejected: " + e.getMessage(), bad);
        }
        log.info("echo: 488 for {}: {}", callId(request), e.getMessage());
        return response;
    }

    private void addContact(Response response, Request request) {
        String transport = ((ViaHeader) request.getHeader(ViaHeader.NAME)).getTransport();
        String uri = "sip:echo@" + agentName()
                + ("TCP".equalsIgnoreCase(transport) ? ";transport=tcp" : "");
        try {
            response.addHeader(headers.createContactHeader(addresses.createAddress(uri)));
        } catch (ParseException e) {
            throw new IllegalStateException("Contact " + uri + " rejected", e);
        }
    }

    private void allowAndAccept(Response response) {
        try {
            for (String method : ALLOWED) response.addHeader(headers.createAllowHeader(method));
            response.addHeader(headers.createAcceptHeader("application", "sdp"));
        } catch (ParseException e) {
            throw new IllegalStateException("Allow/Accept rejected", e);
        }
    }

    private void setSdp(Response response, String sdp) {
        try {
            response.setContent(sdp, headers.createContentTypeHeader("application", "sdp"));
        } catch (ParseException e) {
            throw new IllegalStateException("SDP body rejected", e);
        }
    }

    private boolean send(ServerTransaction st, Response response) {
        try {
            st.sendResponse(response);
            return true;
        } catch (Exception e) {
            log.warn("echo: {} not sent: {}", response.getStatusCode(), e.toString());
            return false;
        }
    }

    private String agentName() {
        String host = address.getHostAddress();
        return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + sipPort;
    }

    private static String body(javax.sip.message.Message message) {
        byte[] raw = message.getRawContent();
        return raw == null || raw.length == 0 ? null : new String(raw, StandardCharsets.UTF_8);
    }

    private static String callId(javax.sip.message.Message message) {
        return ((CallIdHeader) message.getHeader(CallIdHeader.NAME)).getCallId();
    }

    private static String toTag(Request request) {
        return ((ToHeader) request.getHeader(ToHeader.NAME)).getTag();
    }
}

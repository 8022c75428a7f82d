package org.pasarela.transport.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.pasarela.call.CallAction.SendInvite;
import org.pasarela.call.CallEvent;
import org.pasarela.call.CallEvent.SipAnswered;
import org.pasarela.call.CallEvent.SipByeCompleted;
import org.pasarela.call.CallEvent.SipByeReceived;
import org.pasarela.call.CallEvent.SipFailed;
import org.pasarela.call.CallEvent.SipProvisional;
import org.pasarela.call.CallEvent.SipReoffered;
import org.pasarela.config.Credentials;
import org.pasarela.config.SipProfile;
import org.pasarela.config.Transport;
import org.pasarela.lane.Lane;
import org.pasarela.sip.DigestAuthenticator;
import org.pasarela.sip.DigestChallenge;
import org.pasarela.sip.DigestPolicy;
import org.pasarela.sip.DigestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP side of one call: its INVITE client transaction, its dialog, and the requests it sends within it.
 * Translates between JAIN-SIP objects and the call's events/actions; decides nothing about the call itself
 * beyond SIP mechanics (digest retry, ACK retransmission, answering in-dialog requests).
 *
 * <p>Sends run on the leg's own lane over the shared sender pool, in the order the call asked for them.
 * JAIN-SIP's threads call {@code on*}; those only translate and deliver.
 */
public final class SipLeg implements DialogLeg {
    private static final Logger log = LoggerFactory.getLogger(SipLeg.class);
    private static final List<String> ALLOWED_METHODS = List.of(Request.INVITE, Request.ACK, Request.CANCEL,
            Request.BYE, Request.OPTIONS, Request.INFO, Request.NOTIFY);

    private final String callId;
    private final CallIdHeader sipCallId;
    private final SipContext sip;
    private final SipLegEvents events;
    private final Runnable onForget;
    private final Lane sends;
    private final SipDtmfSender dtmf;
    private final DialogRequests requests;
    private final String fromTag = SipText.randomHex(6);

    // Written on the send lane, read on JAIN-SIP threads: volatile is enough, each is replaced whole.
    private volatile SipProfile profile;
    private volatile SipHop hop;
    private volatile Request invite;
    private volatile ClientTransaction inviteTransaction;
    /** The dialog the call lives in: the first one a 2xx confirmed (RFC 3261 §13.2.2.4); others are ended. */
    private volatile Dialog confirmed;
    private volatile Request ack;
    /** A re-INVITE waiting for the call's answer (RFC 3261 §14.2 allows one at a time). */
    private volatile ServerTransaction pendingReinvite;
    private volatile int authAttempts;
    private volatile boolean forgotten;

    SipLeg(String callId, CallIdHeader sipCallId, SipContext sip, SipLegEvents events, Runnable onForget) {
        this.callId = callId;
        this.sipCallId = sipCallId;
        this.sip = sip;
        this.events = events;
        this.onForget = onForget;
        this.sends = new Lane("sip-" + callId, sip.sender);
        this.dtmf = new SipDtmfSender(callId, sip, sends);
        this.requests = new DialogRequests(sip, "call " + callId, events::deliver, () -> contact(profileUser()),
                () -> profile == null ? Optional.empty() : profile.credentials());
    }

    public String callId() {
        return callId;
    }

    public String sipCallId() {
        return sipCallId.getCallId();
    }

    // ---- actions from the call (run on the send lane) ----

    public void sendInvite(SendInvite action) {
        sends.execute(() -> {
            try {
                profile = action.profile();
                if (!sip.listeningPoints.containsKey(profile.transport())) {
                    throw new SipResolutionException("profile '" + profile.name() + "' uses " + profile.transport()
                            + " but sip.transports does not enable it");
                }
                hop = sip.resolver.resolve(profile.proxy(), profile.transport());
                invite = buildInvite(action);
                send(invite, true);
            } catch (SipResolutionException e) {
                events.deliver(new SipFailed(503, e.getMessage()));
            } catch (ParseException | InvalidArgumentException | RuntimeException e) {
                log.warn("call {}: cannot build INVITE: {}", callId, e.toString());
                events.deliver(new SipFailed(500, "cannot build the INVITE: " + e.getMessage()));
            }
        });
    }

    public void sendAck() {
        sends.execute(() -> {
            Dialog current = confirmed;
            if (current == null) {
                return;
            }
            try {
                Request request = ack;
                if (request == null) {
                    long cseq = ((CSeqHeader) invite.getHeader(CSeqHeader.NAME)).getSeqNumber();
                    request = current.createAck(cseq);
                    ack = request;
                }
                current.sendAck(request);
            } catch (SipException | InvalidArgumentException e) {
                log.warn("call {}: cannot send ACK: {}", callId, e.toString());
            }
        });
    }

    public void sendCancel() {
        sends.execute(() -> {
            ClientTransaction transaction = inviteTransaction;
            if (transaction == null) {
                return;
            }
            try {
                Request cancel = transaction.createCancel();
                sip.provider.getNewClientTransaction(cancel).sendRequest();
            } catch (SipException e) {
                // The INVITE completed meanwhile; its final response reaches the call and settles it.
                log.debug("call {}: CANCEL not sent: {}", callId, e.toString());
            }
        });
    }

    @Override
    public void sendBye() {
        sends.execute(() -> {
            Dialog current = confirmed;
            if (current == null) {
                events.deliver(new SipByeCompleted());
                return;
            }
            try {
                Request bye = current.createRequest(Request.BYE);
                ClientTransaction transaction = sip.provider.getNewClientTransaction(bye);
                current.sendRequest(transaction);
            } catch (SipException e) {
                log.debug("call {}: BYE not sent: {}", callId, e.toString());
                events.deliver(new SipByeCompleted());
            }
        });
    }

    /** RFC 4733 is for the media path; this is the SIP INFO application/dtmf-relay form PBXs understand. */
    @Override
    public void sendDtmfInfo(String digits, int durationMs) {
        sends.execute(() -> {
            Dialog current = confirmed;
            if (current != null && !forgotten) {
                dtmf.enqueue(digits, durationMs, current);
            }
        });
    }

    /** Answers the pending re-INVITE as the call decided. */
    @Override
    public void answerReoffer(int code, String sdp, String reason) {
        sends.execute(() -> {
            ServerTransaction transaction = pendingReinvite;
            pendingReinvite = null;
            if (transaction == null) {
                return;
            }
            ReinviteAnswer.send(sip, transaction, code, sdp, reason, () -> contact(profileUser()), "call " + callId);
        });
    }

    @Override
    public void sendReinvite(String sdp) {
        sends.execute(() -> {
            Dialog current = confirmed;
            if (current == null || forgotten) {
                events.deliver(new CallEvent.SipReinviteAnswered(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null));
                return;
            }
            requests.sendReinvite(current, sdp);
        });
    }

    @Override
    public void sendRefer(String referTo) {
        sends.execute(() -> {
            Dialog current = confirmed;
            if (current == null || forgotten) {
                events.deliver(new CallEvent.SipReferFailed(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                        "no confirmed dialog"));
                return;
            }
            requests.sendRefer(current, referTo);
        });
    }

    /** Leaves the SIP side however far it got (BYE once answered, CANCEL before); used when a call broke. */
    public void abandon() {
        sends.execute(() -> {
            if (confirmed != null) {
                sendBye();
            } else {
                sendCancel();
            }
        });
    }

    /** The call is over: stop routing SIP traffic to it. */
    @Override
    public void forget() {
        forgotten = true;
        sends.execute(() -> {
            dtmf.stop();
            requests.forget();
        });
        onForget.run();
    }

    // ---- what arrives from the network (JAIN-SIP threads) ----

    void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        String method = cseq.getMethod();
        int code = response.getStatusCode();
        if (Request.REFER.equals(method) || Request.INVITE.equals(method) && !isInitialInvite(cseq)) {
            sends.execute(() -> requests.onResponse(event, confirmed)); // our re-INVITE or REFER
        } else if (Request.INVITE.equals(method)) {
            onInviteResponse(event, response, code);
        } else if (Request.BYE.equals(method) && code >= 200
                && (event.getDialog() == null || event.getDialog() == confirmed)) {
            events.deliver(new SipByeCompleted());
        } else if (Request.INFO.equals(method) && code >= 300) {
            log.info("call {}: far end refused DTMF INFO with {} {}", callId, code, response.getReasonPhrase());
        }
    }

    /** Whether {@code cseq} is the call's INVITE (as last sent: a digest retry raises it), not a re-INVITE. */
    private boolean isInitialInvite(CSeqHeader cseq) {
        Request current = invite;
        return current == null
                || cseq.getSeqNumber() == ((CSeqHeader) current.getHeader(CSeqHeader.NAME)).getSeqNumber()
                || confirmed == null;
    }

    private void onInviteResponse(ResponseEvent event, Response response, int code) {
        if (code < 200) {
            events.deliver(new SipProvisional(code, response.getReasonPhrase(), SipText.sdpBody(response)));
            return;
        }
        if (code < 300) {
            onSuccess(event.getDialog(), response);
            return;
        }
        if ((code == Response.UNAUTHORIZED || code == Response.PROXY_AUTHENTICATION_REQUIRED)
                && event.getClientTransaction() == inviteTransaction) {
            String failure = retryWithCredentials(response, code);
            if (failure == null) {
                return;
            }
            events.deliver(new SipFailed(code, failure));
            return;
        }
        events.deliver(new SipFailed(code, response.getReasonPhrase()));
    }

    /**
     * A 2xx: the first confirms the call's dialog; a retransmission of it is re-ACKed by the call; a 2xx from
     * another fork (another To tag) is ACKed and immediately ended with BYE (RFC 3261 §13.2.2.4).
     */
    private void onSuccess(Dialog dialog, Response response) {
        Dialog current = confirmed;
        if (current == null && dialog != null) {
            confirmed = dialog;
        } else if (current != null && dialog != null && dialog != current) {
            long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
            sends.execute(() -> ackAndBye(dialog, cseq));
            return;
        }
        events.deliver(new SipAnswered(SipText.sdpBody(response)));
    }

    private void ackAndBye(Dialog fork, long cseq) {
        try {
            fork.sendAck(fork.createAck(cseq));
            fork.sendRequest(sip.provider.getNewClientTransaction(fork.createRequest(Request.BYE)));
            log.info("call {}: ended a second, forked answer from {}", callId, fork.getRemoteParty());
        } catch (SipException | InvalidArgumentException e) {
            log.debug("call {}: cannot end forked dialog: {}", callId, e.toString());
        }
    }

    /** Re-sends the INVITE with digest credentials; returns why it could not, or null when it did. */
    private String retryWithCredentials(Response response, int code) {
        SipProfile current = profile;
        Credentials credentials = current.credentials().orElse(null);
        if (credentials == null) {
            return response.getReasonPhrase() + " (profile '" + current.name() + "' has no auth.username/auth.password)";
        }
        DigestAnswer answer;
        try {
            answer = DigestAnswer.of(response);
        } catch (DigestException e) {
            return response.getReasonPhrase() + ": " + e.getMessage();
        }
        Optional<String> refusal = DigestPolicy.refusal(credentials, answer.challenge(), authAttempts);
        if (refusal.isPresent()) {
            return "authentication failed for profile '" + current.name() + "': " + refusal.get();
        }
        authAttempts++;
        sends.execute(() -> {
            try {
                Request retry = (Request) invite.clone();
                CSeqHeader cseq = (CSeqHeader) retry.getHeader(CSeqHeader.NAME);
                cseq.setSeqNumber(cseq.getSeqNumber() + 1);
                retry.removeHeader(ViaHeader.NAME);
                retry.addHeader(via(hop.transport()));
                retry.removeHeader("Authorization");
                retry.removeHeader("Proxy-Authorization");
                retry.addHeader(answer.header(sip.headers, Request.INVITE, retry.getRequestURI().toString(),
                        credentials));
                invite = retry;
                send(retry, true);
            } catch (ParseException | InvalidArgumentException | DigestException e) {
                events.deliver(new SipFailed(500, "cannot answer the digest challenge: " + e.getMessage()));
            }
        });
        return null;
    }

    void onRequest(RequestEvent event) {
        Request request = event.getRequest();
        switch (request.getMethod()) {
            case Request.BYE -> onBye(event);
            case Request.ACK -> {
                // ACK for our 200 to a re-INVITE: nothing to do.
            }
            case Request.INVITE -> onReinvite(event);
            case Request.NOTIFY -> onNotify(event);
            case Request.OPTIONS, Request.INFO -> sip.respond(event, Response.OK);
            default -> sip.respond(event, Response.NOT_IMPLEMENTED);
        }
    }

    /**
     * A BYE ends the call only in the call's own dialog: one for another fork, or forged by someone who learnt
     * the Call-ID, gets 481 (RFC 3261 §15.1.2). Before any 2xx it can only have overtaken the 2xx.
     */
    private void onBye(RequestEvent event) {
        Dialog current = confirmed;
        if (current != null && event.getDialog() != current) {
            sip.respond(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
            return;
        }
        sip.respond(event, Response.OK);
        events.deliver(new SipByeReceived());
    }

    /** A NOTIFY in the call's dialog (our REFER's progress) goes to the call, in order with the REFER's answer. */
    private void onNotify(RequestEvent event) {
        Dialog current = confirmed;
        if (current == null || event.getDialog() != null && event.getDialog() != current) {
            sip.respond(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
            return;
        }
        sends.execute(() -> requests.onNotify(event));
    }

    /** The call decides how to answer (hold, refresh, re-anchoring); one re-INVITE at a time (§14.2). */
    private void onReinvite(RequestEvent event) {
        Dialog current = confirmed;
        if (current == null || event.getDialog() != current) {
            sip.respond(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
            return;
        }
        if (pendingReinvite != null) {
            sip.respond(event, Response.SERVER_INTERNAL_ERROR); // §14.2: with Retry-After in an ideal world
            return;
        }
        ServerTransaction transaction = event.getServerTransaction();
        try {
            if (transaction == null) {
                transaction = sip.provider.getNewServerTransaction(event.getRequest());
            }
        } catch (SipException e) {
            log.debug("call {}: re-INVITE without a transaction: {}", callId, e.toString());
            return;
        }
        pendingReinvite = transaction;
        events.deliver(new SipReoffered(SipText.sdpBody(event.getRequest())));
    }

    void onTimeout(ClientTransaction transaction) {
        String method = transaction.getRequest().getMethod();
        if (Request.REFER.equals(method)
                || Request.INVITE.equals(method) && transaction != inviteTransaction && confirmed != null) {
            sends.execute(() -> requests.onTimeout(transaction));
        } else if (Request.INVITE.equals(method)) {
            events.deliver(new SipFailed(Response.REQUEST_TIMEOUT, "no response from " + hop));
        } else if (Request.BYE.equals(method)) {
            events.deliver(new SipByeCompleted());
        }
    }

    // ---- building and sending ----

    private Request buildInvite(SendInvite action) throws ParseException, InvalidArgumentException {
        SipProfile p = action.profile();
        URI requestUri = sip.addresses.createURI(action.requestUri().toString());
        SipURI fromUri = sip.addresses.createSipURI(action.fromUser(), p.domain());
        Address fromAddress = sip.addresses.createAddress(fromUri);
        if (p.fromDisplayName().isPresent()) {
            fromAddress.setDisplayName(p.fromDisplayName().get());
        }
        FromHeader from = sip.headers.createFromHeader(fromAddress, fromTag);
        ToHeader to = sip.headers.createToHeader(sip.addresses.createAddress(requestUri), null);
        CSeqHeader cseq = sip.headers.createCSeqHeader(1L, Request.INVITE);
        MaxForwardsHeader maxForwards = sip.headers.createMaxForwardsHeader(70);
        Request request = sip.messages.createRequest(requestUri, Request.INVITE, sipCallId, cseq, from, to,
                List.of(via(hop.transport())), maxForwards);
        request.addHeader(contact(action.fromUser()));
        request.addHeader(sip.headers.createRouteHeader(sip.addresses.createAddress(
                sip.addresses.createURI(hop.routeUri()))));
        for (String method : ALLOWED_METHODS) {
            request.addHeader(sip.headers.createAllowHeader(method));
        }
        request.addHeader(sip.headers.createHeader("User-Agent", sip.settings.userAgent()));
        request.setContent(action.sdp().getBytes(StandardCharsets.UTF_8),
                sip.headers.createContentTypeHeader("application", "sdp"));
        return request;
    }

    private void send(Request request, boolean isInvite) {
        try {
            ClientTransaction transaction = sip.provider.getNewClientTransaction(request);
            if (isInvite) {
                inviteTransaction = transaction;
                ack = null;
            }
            transaction.sendRequest();
        } catch (SipException e) {
            events.deliver(new SipFailed(503, "cannot send to " + hop + ": " + SipText.rootMessage(e)));
        }
    }

    private ViaHeader via(Transport transport) throws ParseException, InvalidArgumentException {
        ListeningPoint point = sip.listeningPoints.get(transport);
        return sip.headers.createViaHeader(point.getIPAddress(), point.getPort(), transport.name().toLowerCase(), null);
    }

    private ContactHeader contact(String user) throws ParseException {
        Transport transport = hop == null ? Transport.UDP : hop.transport();
        ListeningPoint point = sip.listeningPoints.get(transport);
        SipURI uri = sip.addresses.createSipURI(user, point.getIPAddress());
        uri.setPort(point.getPort());
        uri.setTransportParam(transport.name().toLowerCase());
        return sip.headers.createContactHeader(sip.addresses.createAddress(uri));
    }

    private String profileUser() {
        Request current = invite;
        if (current == null) {
            return "pasarela";
        }
        URI uri = ((FromHeader) current.getHeader(FromHeader.NAME)).getAddress().getURI();
        return uri instanceof SipURI sipUri && sipUri.getUser() != null ? sipUri.getUser() : "pasarela";
    }
}

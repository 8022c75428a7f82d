package org.pasarela.transport.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.pasarela.call.CallEvent;
import org.pasarela.call.CallEvent.SipAcked;
import org.pasarela.call.CallEvent.SipByeCompleted;
import org.pasarela.call.CallEvent.SipByeReceived;
import org.pasarela.call.CallEvent.SipCancelled;
import org.pasarela.call.CallEvent.SipReoffered;
import org.pasarela.config.Transport;
import org.pasarela.lane.Lane;
import org.pasarela.sip.SipReasons;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP side of one incoming call (RFC 3261 §13.3, UAS): the caller's INVITE server transaction, the dialog it
 * creates, and the requests within that dialog. Sends 100 Trying at once; then 180, 200 (with Contact and SDP; the
 * stack retransmits it with T1 doubling until the ACK, §13.3.1.4) or a final error, as the call decides. Decides
 * nothing about the call itself beyond SIP mechanics: CANCEL is answered 200 and the INVITE 487 here (§9.2); a BYE
 * or re-INVITE outside the leg's own dialog gets 481 (§12.2.2).
 *
 * <p>Every method runs on the leg's own send lane over the shared sender pool, in the order called; so do the
 * translations of what arrives, which keeps an answer and a crossing CANCEL in one order. Events are held until
 * {@link #bind} names where they go, then delivered in order. JAIN-SIP's threads call {@code on*}, which never block.
 */
public final class SipInboundLeg implements DialogLeg {
    private static final Logger log = LoggerFactory.getLogger(SipInboundLeg.class);
    private static final List<String> ALLOWED_METHODS = List.of(Request.INVITE, Request.ACK, Request.CANCEL,
            Request.BYE, Request.OPTIONS, Request.INFO, Request.NOTIFY);

    private final SipContext sip;
    private final ServerTransaction inviteTransaction;
    private final Request invite;
    private final Transport transport;
    private final String contactUser;
    private final Runnable onForget;
    private final Lane sends;
    private final SipDtmfSender dtmf;
    private final DialogRequests requests;
    private final String toTag = SipText.randomHex(6);
    /** The INVITE's dialog; JAIN-SIP creates it with the server transaction (automatic dialog support). */
    private final Dialog dialog;

    // Owned by the send lane.
    private SipLegEvents events;
    private final List<CallEvent> held = new ArrayList<>();
    private boolean finalSent;
    private boolean answered;
    private boolean acked;
    private boolean byeSent;
    private ServerTransaction pendingReinvite;
    private volatile boolean forgotten;

    SipInboundLeg(SipContext sip, ServerTransaction inviteTransaction, Transport transport, String contactUser,
                  Runnable onForget) {
        this.sip = sip;
        this.inviteTransaction = inviteTransaction;
        this.invite = inviteTransaction.getRequest();
        this.transport = transport;
        this.contactUser = contactUser;
        this.onForget = onForget;
        this.dialog = inviteTransaction.getDialog();
        String callId = sipCallId();
        this.sends = new Lane("sip-in-" + callId, sip.sender);
        this.dtmf = new SipDtmfSender(callId, sip, sends);
        // A caller's trunk that challenges our in-dialog requests: no credentials are configured for callers.
        this.requests = new DialogRequests(sip, callId, this::deliver, this::contact, Optional::empty);
        sends.execute(() -> respond(Response.TRYING, null, null));
    }

    /** The caller's Call-ID. */
    public String sipCallId() {
        return ((javax.sip.header.CallIdHeader) invite.getHeader(javax.sip.header.CallIdHeader.NAME)).getCallId();
    }

    // ---- actions from the call (run on the send lane) ----

    /** Where this leg's events go from now on; events that happened before are delivered first, in order. */
    public void bind(SipLegEvents target) {
        sends.execute(() -> {
            events = target;
            List<CallEvent> pending = List.copyOf(held);
            held.clear();
            pending.forEach(target::deliver);
        });
    }

    /** 180 Ringing, with the To tag and Contact of the early dialog. */
    public void sendRinging() {
        sends.execute(() -> {
            if (!finalSent) {
                respond(Response.RINGING, null, null);
            }
        });
    }

    /**
     * 200 OK with Contact and {@code sdp}: the answer to the caller's offer, or our offer when the INVITE had none
     * (the caller's answer then arrives in {@link SipAcked}). JAIN-SIP retransmits it until the ACK arrives.
     */
    public void answer(String sdp) {
        sends.execute(() -> {
            if (finalSent) {
                log.debug("{}: not answering, the INVITE already has its final response", sipCallId());
                return;
            }
            finalSent = respond(Response.OK, null, sdp) || finalSent;
            answered = finalSent;
        });
    }

    /** A final 4xx-6xx for the INVITE ({@code reason} null: the standard phrase); nothing once one was sent. */
    public void reject(int code, String reason) {
        reject(code, reason, 0);
    }

    /**
     * As {@link #reject(int, String)}, with a Retry-After header of {@code retryAfterSeconds} when it is above 0
     * (RFC 3261 §20.33).
     */
    public void reject(int code, String reason, int retryAfterSeconds) {
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("reject needs a 3xx-6xx code, not " + code);
        }
        if (retryAfterSeconds < 0 || retryAfterSeconds > 0 && !SipReasons.allowsRetryAfter(code)) {
            throw new IllegalArgumentException("a " + code + " response cannot say retry after " + retryAfterSeconds
                    + " s");
        }
        sends.execute(() -> {
            if (!finalSent) {
                finalSent = true;
                respond(code, reason, null, retryAfterSeconds);
            }
        });
    }

    /** Ends an answered call; {@link SipByeCompleted} follows its final response or timeout. */
    @Override
    public void sendBye() {
        sends.execute(() -> {
            if (!answered || byeSent) {
                deliver(new SipByeCompleted());
                return;
            }
            byeSent = true;
            try {
                Request bye = dialog.createRequest(Request.BYE);
                dialog.sendRequest(sip.provider.getNewClientTransaction(bye));
            } catch (SipException e) {
                log.debug("{}: BYE not sent: {}", sipCallId(), e.toString());
                deliver(new SipByeCompleted());
            }
        });
    }

    /** Answers the pending re-INVITE as the call decided ({@code sdp} only with 200). */
    @Override
    public void answerReoffer(int code, String sdp, String reason) {
        sends.execute(() -> {
            ServerTransaction transaction = pendingReinvite;
            pendingReinvite = null;
            if (transaction == null) {
                return;
            }
            ReinviteAnswer.send(sip, transaction, code, sdp, reason, this::contact, sipCallId());
        });
    }

    /** Our own re-INVITE, once the caller has ACKed our 200 (RFC 3261 §14.1: not while an INVITE is pending). */
    @Override
    public void sendReinvite(String sdp) {
        sends.execute(() -> {
            if (!acked || byeSent || forgotten) {
                deliver(new CallEvent.SipReinviteAnswered(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null));
                return;
            }
            requests.sendReinvite(dialog, sdp);
        });
    }

    @Override
    public void sendRefer(String referTo) {
        sends.execute(() -> {
            if (!acked || byeSent || forgotten) {
                deliver(new CallEvent.SipReferFailed(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                        "no confirmed dialog"));
                return;
            }
            requests.sendRefer(dialog, referTo);
        });
    }

    /** DTMF as SIP INFO application/dtmf-relay, paced like a keypad; only in an answered call. */
    @Override
    public void sendDtmfInfo(String digits, int durationMs) {
        sends.execute(() -> {
            if (answered && !forgotten) {
                dtmf.enqueue(digits, durationMs, dialog);
            }
        });
    }

    /**
     * The call is over: stop routing SIP traffic to it. An INVITE still without a final response gets 480 first,
     * so a caller is never left ringing by a call that broke.
     */
    @Override
    public void forget() {
        forgotten = true;
        sends.execute(() -> {
            dtmf.stop();
            requests.forget();
            if (!finalSent) {
                finalSent = true;
                respond(Response.TEMPORARILY_UNAVAILABLE, null, null);
            }
        });
        onForget.run();
    }

    // ---- what arrives from the network (JAIN-SIP's delivery thread; never blocks) ----

    void onRequest(RequestEvent event) {
        Request request = event.getRequest();
        switch (request.getMethod()) {
            case Request.CANCEL -> onCancel(event);
            case Request.ACK -> onAck(event);
            case Request.BYE -> onBye(event);
            case Request.INVITE -> onReinvite(event);
            case Request.NOTIFY -> {
                if (event.getDialog() == dialog) {
                    sends.execute(() -> requests.onNotify(event));
                } else {
                    sip.respond(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                }
            }
            case Request.OPTIONS, Request.INFO -> {
                if (event.getDialog() == dialog) {
                    sip.respond(event, Response.OK);
                } else {
                    sip.respond(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                }
            }
            default -> sip.respond(event, Response.NOT_IMPLEMENTED);
        }
    }

    /** §9.2: 200 to the CANCEL; if the INVITE is still unanswered, 487 to it and the call hears of it. */
    private void onCancel(RequestEvent event) {
        sip.respond(event, Response.OK);
        sends.execute(this::endUnanswered);
    }

    private void endUnanswered() {
        if (finalSent) {
            return;
        }
        finalSent = true;
        respond(Response.REQUEST_TERMINATED, null, null);
        deliver(new SipCancelled());
    }

    /** The ACK for our 200 (§13.3.1.4); its retransmissions and the ACKs of re-INVITEs are not news. */
    private void onAck(RequestEvent event) {
        if (event.getDialog() != null && event.getDialog() != dialog) {
            return;
        }
        String body = SipText.sdpBody(event.getRequest());
        long cseq = ((CSeqHeader) event.getRequest().getHeader(CSeqHeader.NAME)).getSeqNumber();
        long inviteCseq = ((CSeqHeader) invite.getHeader(CSeqHeader.NAME)).getSeqNumber();
        sends.execute(() -> {
            if (answered && !acked && cseq == inviteCseq) {
                acked = true;
                deliver(new SipAcked(body));
            }
        });
    }

    /**
     * A BYE ends the call only in the leg's own dialog (anything else, e.g. a wrong To tag, gets 481, §15.1.2). A
     * BYE on the early dialog (§15: the caller may send one) ends the INVITE with 487, as a CANCEL would.
     */
    private void onBye(RequestEvent event) {
        if (event.getDialog() != dialog || !toTag.equals(toTag(event.getRequest()))) {
            sip.respond(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
            return;
        }
        sip.respond(event, Response.OK);
        sends.execute(() -> {
            if (!finalSent) {
                endUnanswered();
            } else if (answered) {
                deliver(new SipByeReceived());
            }
        });
    }

    /** The call decides how to answer; one re-INVITE at a time (§14.2). */
    private void onReinvite(RequestEvent event) {
        if (event.getDialog() != dialog || !toTag.equals(toTag(event.getRequest()))) {
            sip.respond(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
            return;
        }
        ServerTransaction transaction = event.getServerTransaction();
        try {
            if (transaction == null) {
                transaction = sip.provider.getNewServerTransaction(event.getRequest());
            }
        } catch (SipException e) {
            log.debug("{}: re-INVITE without a transaction: {}", sipCallId(), e.toString());
            return;
        }
        ServerTransaction reinvite = transaction;
        String offer = SipText.sdpBody(event.getRequest());
        sends.execute(() -> {
            if (!acked || pendingReinvite != null) {
                // §14.2: a re-INVITE while another INVITE is pending gets 500 (491 is for crossing UAC offers).
                answerNow(reinvite, Response.SERVER_INTERNAL_ERROR);
                return;
            }
            pendingReinvite = reinvite;
            deliver(new SipReoffered(offer));
        });
    }

    void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        String method = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getMethod();
        if (Request.INVITE.equals(method) || Request.REFER.equals(method)) {
            sends.execute(() -> requests.onResponse(event, dialog));
        } else if (Request.BYE.equals(method) && response.getStatusCode() >= 200) {
            sends.execute(() -> deliver(new SipByeCompleted()));
        } else if (Request.INFO.equals(method) && response.getStatusCode() >= 300) {
            log.info("{}: caller refused DTMF INFO with {} {}", sipCallId(), response.getStatusCode(),
                    response.getReasonPhrase());
        }
    }

    void onTimeout(javax.sip.ClientTransaction transaction) {
        String method = transaction.getRequest().getMethod();
        if (Request.INVITE.equals(method) || Request.REFER.equals(method)) {
            sends.execute(() -> requests.onTimeout(transaction));
        } else if (Request.BYE.equals(method)) {
            sends.execute(() -> deliver(new SipByeCompleted()));
        }
    }

    /** Whether {@code request} is this leg's INVITE again (same branch): a retransmission, not a new call. */
    boolean isRetransmissionOf(Request request) {
        Object via = request.getHeader(javax.sip.header.ViaHeader.NAME);
        Object ours = invite.getHeader(javax.sip.header.ViaHeader.NAME);
        return via instanceof javax.sip.header.ViaHeader v && ours instanceof javax.sip.header.ViaHeader o
                && v.getBranch() != null && v.getBranch().equals(o.getBranch());
    }

    // ---- sending ----

    private void deliver(CallEvent event) {
        if (forgotten) {
            return;
        }
        if (events == null) {
            held.add(event);
        } else {
            events.deliver(event);
        }
    }

    /** Sends a response to the INVITE; returns whether it went out. */
    private boolean respond(int code, String reason, String sdp) {
        return respond(code, reason, sdp, 0);
    }

    private boolean respond(int code, String reason, String sdp, int retryAfterSeconds) {
        try {
            Response response = sip.messages.createResponse(code, invite);
            if (reason != null && !reason.isBlank()) {
                response.setReasonPhrase(reason.replaceAll("\\p{Cntrl}", " "));
            }
            if (code > 100) {
                ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(toTag);
            }
            if (code > 100 && code < 300) {
                response.addHeader(contact());
            }
            if (code >= 200 && code < 300) {
                for (String method : ALLOWED_METHODS) {
                    response.addHeader(sip.headers.createAllowHeader(method));
                }
            }
            response.addHeader(sip.headers.createHeader("Server", sip.settings.userAgent()));
            if (retryAfterSeconds > 0) {
                response.addHeader(sip.headers.createRetryAfterHeader(retryAfterSeconds));
            }
            if (sdp != null) {
                response.setContent(sdp.getBytes(StandardCharsets.UTF_8),
                        sip.headers.createContentTypeHeader("application", "sdp"));
            }
            inviteTransaction.sendResponse(response);
            return true;
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            log.warn("{}: cannot send {} to the INVITE: {}", sipCallId(), code, e.toString());
            return false;
        }
    }

    private void answerNow(ServerTransaction transaction, int code) {
        try {
            transaction.sendResponse(sip.messages.createResponse(code, transaction.getRequest()));
        } catch (ParseException | SipException | InvalidArgumentException e) {
            log.debug("{}: cannot answer {}: {}", sipCallId(), code, e.toString());
        }
    }

    /** Our Contact on the transport the INVITE came over, so the caller's in-dialog requests come back there. */
    private ContactHeader contact() throws ParseException {
        ListeningPoint point = sip.listeningPoints.get(transport);
        if (point == null) {
            point = sip.listeningPoints.values().iterator().next();
        }
        SipURI uri = sip.addresses.createSipURI(contactUser, point.getIPAddress());
        uri.setPort(point.getPort());
        uri.setTransportParam(point.getTransport().toLowerCase());
        return sip.headers.createContactHeader(sip.addresses.createAddress(uri));
    }

    private static String toTag(Request request) {
        Object to = request.getHeader(ToHeader.NAME);
        return to instanceof ToHeader header ? header.getTag() : null;
    }
}

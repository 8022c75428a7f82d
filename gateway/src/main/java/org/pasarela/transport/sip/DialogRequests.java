package org.pasarela.transport.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.Header;
import javax.sip.header.ReferToHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.pasarela.call.CallEvent;
import org.pasarela.call.CallEvent.SipReferAccepted;
import org.pasarela.call.CallEvent.SipReferFailed;
import org.pasarela.call.CallEvent.SipReferProgress;
import org.pasarela.call.CallEvent.SipReinviteAnswered;
import org.pasarela.config.Credentials;
import org.pasarela.sip.DigestPolicy;
import org.pasarela.sip.SipFrag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests a call sends inside its confirmed dialog on the browser's behalf, the same for outbound and
 * incoming legs: its own re-INVITE (RFC 3261 §14.1: one at a time, the 2xx ACKed here and re-ACKed on
 * retransmission, non-2xx ACKed by the transaction) and REFER (RFC 3515), with the NOTIFYs of the REFER's implicit
 * subscription answered 200 and reported to the call. A 401 or 407 to either is answered once with the leg's
 * credentials (RFC 3261 §22.2, §22.3), as the call's INVITE is: trunks and PBXs that challenge every request
 * challenge these too, and a hold or transfer must not fail for it.
 *
 * <p>Every method runs on its leg's send lane, in order; the leg posts what JAIN-SIP's threads hand it there.
 */
final class DialogRequests {
    private static final Logger log = LoggerFactory.getLogger(DialogRequests.class);

    private final SipContext sip;
    private final String name;
    private final Consumer<CallEvent> deliver;
    private final ReinviteAnswer.ContactSource contact;
    /** The digest credentials for this dialog's far end, when the leg has any. */
    private final Supplier<Optional<Credentials>> credentials;

    // Owned by the send lane.
    private InFlight reinvite;
    /** The CSeq of our last re-INVITE answered 2xx, and its ACK, to re-send when the 2xx is retransmitted. */
    private long ackedCseq = -1;
    private Request ack;
    private InFlight refer;

    /** One of our requests in the dialog, and the challenges answered for it (DigestPolicy: once, again if stale). */
    private record InFlight(ClientTransaction transaction, int answers) {
        boolean is(ClientTransaction other) {
            return other != null && other == transaction;
        }
    }

    DialogRequests(SipContext sip, String name, Consumer<CallEvent> deliver, ReinviteAnswer.ContactSource contact,
                   Supplier<Optional<Credentials>> credentials) {
        this.sip = sip;
        this.name = name;
        this.deliver = deliver;
        this.contact = contact;
        this.credentials = credentials;
    }

    /** Sends a re-INVITE with {@code sdp}; a failure to send is reported as 503 at once. */
    void sendReinvite(Dialog dialog, String sdp) {
        if (reinvite != null) {
            deliver.accept(new SipReinviteAnswered(Response.REQUEST_PENDING, null)); // a call bug, but not a crash
            return;
        }
        try {
            Request request = dialog.createRequest(Request.INVITE);
            request.setHeader(contact.contact());
            request.setHeader(sip.headers.createHeader("User-Agent", sip.settings.userAgent()));
            request.setContent(sdp.getBytes(StandardCharsets.UTF_8),
                    sip.headers.createContentTypeHeader("application", "sdp"));
            ClientTransaction transaction = sip.provider.getNewClientTransaction(request);
            reinvite = new InFlight(transaction, 0);
            dialog.sendRequest(transaction);
        } catch (SipException | ParseException | RuntimeException e) {
            reinvite = null;
            log.info("{}: re-INVITE not sent: {}", name, SipText.rootMessage(e));
            deliver.accept(new SipReinviteAnswered(Response.SERVICE_UNAVAILABLE, null));
        }
    }

    /** Sends REFER with Refer-To {@code referTo} and Referred-By our identity in the dialog (RFC 3892). */
    void sendRefer(Dialog dialog, String referTo) {
        try {
            Request request = dialog.createRequest(Request.REFER);
            request.setHeader(sip.headers.createReferToHeader(
                    sip.addresses.createAddress(sip.addresses.createURI(referTo))));
            request.setHeader(sip.headers.createHeader("Referred-By", "<" + dialog.getLocalParty().getURI() + ">"));
            request.setHeader(contact.contact());
            request.setHeader(sip.headers.createHeader("User-Agent", sip.settings.userAgent()));
            ClientTransaction transaction = sip.provider.getNewClientTransaction(request);
            refer = new InFlight(transaction, 0);
            dialog.sendRequest(transaction);
        } catch (SipException | ParseException | RuntimeException e) {
            refer = null;
            log.info("{}: REFER not sent: {}", name, SipText.rootMessage(e));
            deliver.accept(new SipReferFailed(Response.SERVICE_UNAVAILABLE, "REFER not sent: "
                    + SipText.rootMessage(e)));
        }
    }

    /** A response for this dialog; true when it answered one of our re-INVITEs or our REFER. */
    boolean onResponse(ResponseEvent event, Dialog dialog) {
        Response response = event.getResponse();
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        int code = response.getStatusCode();
        if (Request.INVITE.equals(cseq.getMethod())) {
            if (code >= 200 && code < 300 && cseq.getSeqNumber() == ackedCseq) {
                resendAck(dialog); // a retransmitted 2xx: our ACK was lost
                return true;
            }
            InFlight sent = reinvite;
            if (sent == null || !sent.is(event.getClientTransaction())) {
                return false;
            }
            if (code < 200) {
                return true;
            }
            reinvite = answered(sent, dialog, response);
            if (reinvite != null) {
                return true; // sent again with credentials
            }
            if (code < 300) {
                ack(dialog, cseq.getSeqNumber());
            }
            deliver.accept(new SipReinviteAnswered(code, SipText.sdpBody(response)));
            return true;
        }
        InFlight sentRefer = refer;
        if (Request.REFER.equals(cseq.getMethod()) && sentRefer != null && sentRefer.is(event.getClientTransaction())) {
            if (code < 200) {
                return true;
            }
            refer = answered(sentRefer, dialog, response);
            if (refer != null) {
                return true; // sent again with credentials
            }
            deliver.accept(code < 300 ? new SipReferAccepted()
                    : new SipReferFailed(code, response.getReasonPhrase() == null ? "" : response.getReasonPhrase()));
            return true;
        }
        return false;
    }

    /** A client transaction timed out; true when it was our re-INVITE or REFER. */
    boolean onTimeout(ClientTransaction transaction) {
        if (reinvite != null && reinvite.is(transaction)) {
            reinvite = null;
            deliver.accept(new SipReinviteAnswered(Response.REQUEST_TIMEOUT, null));
            return true;
        }
        if (refer != null && refer.is(transaction)) {
            refer = null;
            deliver.accept(new SipReferFailed(Response.REQUEST_TIMEOUT, "no response to REFER"));
            return true;
        }
        return false;
    }

    /**
     * A NOTIFY in the dialog: one for a REFER ({@code Event: refer}) is answered 200 and its sipfrag status goes to
     * the call; any other event is answered 200 as before, and not news. The caller checked the dialog.
     */
    void onNotify(RequestEvent event) {
        Request request = event.getRequest();
        Object eventHeader = request.getHeader(EventHeader.NAME);
        boolean forRefer = eventHeader instanceof EventHeader e && "refer".equalsIgnoreCase(e.getEventType());
        sip.respond(event, Response.OK);
        if (!forRefer) {
            return;
        }
        Object state = request.getHeader(SubscriptionStateHeader.NAME);
        boolean terminated = state instanceof SubscriptionStateHeader s
                && SubscriptionStateHeader.TERMINATED.equalsIgnoreCase(s.getState());
        String body = request.getRawContent() == null ? null
                : new String(request.getRawContent(), StandardCharsets.UTF_8);
        SipFrag.status(body).ifPresentOrElse(
                status -> deliver.accept(new SipReferProgress(status.code(), status.reason(), terminated)),
                () -> log.info("{}: NOTIFY for our REFER without a sipfrag status line; ignored", name));
    }

    /** The call is over: nothing pending is news any more. */
    void forget() {
        reinvite = null;
        refer = null;
    }

    /** {@code sent} again with an answer to the 401 or 407 in {@code response}, or null when it is not one of those. */
    private InFlight answered(InFlight sent, Dialog dialog, Response response) {
        int code = response.getStatusCode();
        if (code != Response.UNAUTHORIZED && code != Response.PROXY_AUTHENTICATION_REQUIRED) {
            return null;
        }
        ClientTransaction retry = answerChallenge(dialog, response, sent.transaction().getRequest(), sent.answers());
        return retry == null ? null : new InFlight(retry, sent.answers() + 1);
    }

    /** Headers of ours that a request sent again in the dialog must carry as the first one did. */
    private static final List<String> CARRIED = List.of(ContactHeader.NAME, "User-Agent", ReferToHeader.NAME,
            "Referred-By");

    /**
     * Sends {@code sent} again in {@code dialog} (a new CSeq) with an answer to the challenge in {@code response};
     * returns its transaction, or null (and says why in the log) when it may not or cannot be answered: then the
     * challenge reaches the call as the request's failure.
     */
    private ClientTransaction answerChallenge(Dialog dialog, Response response, Request sent, int answered) {
        String method = sent.getMethod();
        Credentials creds = credentials.get().orElse(null);
        if (creds == null) {
            log.info("{}: {} challenged with {}, and this leg has no auth.username/auth.password", name, method,
                    response.getStatusCode());
            return null;
        }
        try {
            DigestAnswer answer = DigestAnswer.of(response);
            Optional<String> refusal = DigestPolicy.refusal(creds, answer.challenge(), answered);
            if (refusal.isPresent()) {
                log.info("{}: {} challenge not answered: {}", name, method, refusal.get());
                return null;
            }
            Request retry = dialog.createRequest(method);
            for (String carried : CARRIED) {
                Header value = sent.getHeader(carried);
                if (value != null) {
                    retry.setHeader((Header) value.clone());
                }
            }
            if (sent.getRawContent() != null) {
                retry.setContent(sent.getRawContent(), (ContentTypeHeader) sent.getHeader(ContentTypeHeader.NAME));
            }
            retry.setHeader(answer.header(sip.headers, method, retry.getRequestURI().toString(), creds));
            ClientTransaction transaction = sip.provider.getNewClientTransaction(retry);
            dialog.sendRequest(transaction);
            return transaction;
        } catch (SipException | ParseException | RuntimeException e) { // DigestException among the runtime ones
            log.info("{}: cannot answer the challenge to our {}: {}", name, method, SipText.rootMessage(e));
            return null;
        }
    }

    private void ack(Dialog dialog, long cseq) {
        try {
            Request request = dialog.createAck(cseq);
            dialog.sendAck(request);
            ackedCseq = cseq;
            ack = request;
        } catch (SipException | InvalidArgumentException e) {
            log.warn("{}: cannot ACK the 2xx to our re-INVITE: {}", name, e.toString());
        }
    }

    private void resendAck(Dialog dialog) {
        try {
            if (ack != null) {
                dialog.sendAck(ack);
            }
        } catch (SipException e) {
            log.debug("{}: cannot re-send ACK: {}", name, e.toString());
        }
    }
}

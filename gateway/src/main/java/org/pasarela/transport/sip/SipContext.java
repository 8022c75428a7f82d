package org.pasarela.transport.sip;

import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Response;
import javax.sip.header.ToHeader;
import java.security.SecureRandom;
import org.pasarela.config.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JAIN-SIP objects and executors every leg of one endpoint shares. Immutable after start-up. */
final class SipContext {
    private static final Logger log = LoggerFactory.getLogger(SipContext.class);

    private static final SecureRandom TAGS = new SecureRandom();

    final SipProvider provider;
    final HeaderFactory headers;
    final AddressFactory addresses;
    final MessageFactory messages;
    final Map<Transport, ListeningPoint> listeningPoints;
    final SipEndpointSettings settings;
    /** Sends run here, never on a lane: a TCP or TLS connect may block. */
    final ExecutorService sender;
    final ScheduledExecutorService scheduler;
    final SipResolver resolver;

    SipContext(SipProvider provider, HeaderFactory headers, AddressFactory addresses, MessageFactory messages,
               Map<Transport, ListeningPoint> listeningPoints, SipEndpointSettings settings, ExecutorService sender,
               ScheduledExecutorService scheduler, SipResolver resolver) {
        this.provider = provider;
        this.headers = headers;
        this.addresses = addresses;
        this.messages = messages;
        this.listeningPoints = listeningPoints;
        this.settings = settings;
        this.sender = sender;
        this.scheduler = scheduler;
        this.resolver = resolver;
    }

    /** Answers a request with {@code code}, creating the server transaction if JAIN-SIP has not. */
    void respond(RequestEvent event, int code) {
        try {
            Response response = withToTag(messages.createResponse(code, event.getRequest()));
            ServerTransaction transaction = event.getServerTransaction();
            if (transaction == null) {
                transaction = provider.getNewServerTransaction(event.getRequest());
            }
            transaction.sendResponse(response);
        } catch (ParseException | SipException | InvalidArgumentException e) {
            log.debug("cannot answer {} with {}: {}", event.getRequest().getMethod(), code, e.toString());
        }
    }

    /** Answers without a transaction: for requests that belong to no call, so they cost us no state. */
    void respondStatelessly(RequestEvent event, int code) {
        try {
            if (event.getServerTransaction() != null) {
                event.getServerTransaction().sendResponse(withToTag(messages.createResponse(code, event.getRequest())));
            } else {
                provider.sendResponse(withToTag(messages.createResponse(code, event.getRequest())));
            }
        } catch (ParseException | SipException | InvalidArgumentException e) {
            log.debug("cannot answer {} with {}: {}", event.getRequest().getMethod(), code, e.toString());
        }
    }

    /** Like {@link #respondStatelessly(RequestEvent, int)}, with our own reason phrase. */
    void respondStatelessly(RequestEvent event, int code, String reason) {
        try {
            Response response = withToTag(messages.createResponse(code, event.getRequest()));
            response.setReasonPhrase(reason);
            if (event.getServerTransaction() != null) {
                event.getServerTransaction().sendResponse(response);
            } else {
                provider.sendResponse(response);
            }
        } catch (ParseException | SipException | InvalidArgumentException e) {
            log.debug("cannot answer {} with {}: {}", event.getRequest().getMethod(), code, e.toString());
        }
    }

    /** RFC 3261 §8.2.6.2: a UAS adds a To tag to every response but 100 when the request had none. */
    private static Response withToTag(Response response) throws ParseException {
        ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
        if (response.getStatusCode() > 100 && to != null && to.getTag() == null) {
            to.setTag(Long.toHexString(TAGS.nextLong()));
        }
        return response;
    }
}

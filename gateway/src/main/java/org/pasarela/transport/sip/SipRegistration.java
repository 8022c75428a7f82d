package org.pasarela.transport.sip;

import java.text.ParseException;
import java.util.List;
import java.util.ListIterator;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.MinExpiresHeader;
import javax.sip.header.RetryAfterHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.pasarela.config.SipProfile;
import org.pasarela.config.Transport;
import org.pasarela.lane.Lane;
import org.pasarela.registration.RegistrationAction.Authorization;
import org.pasarela.registration.RegistrationEvent;
import org.pasarela.registration.RegistrationEvent.NoResponse;
import org.pasarela.registration.RegistrationEvent.Responded;
import org.pasarela.sip.DigestChallenge;
import org.pasarela.sip.DigestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP side of one registration: builds and sends its REGISTER requests (one Call-ID, increasing CSeq, RFC 3261
 * §10.2.4) to the profile's proxy, and turns final responses and timeouts into {@link RegistrationEvent}s. Decides
 * nothing: the pure {@code Registration} does.
 *
 * <p>The Contact it registers routes back to the gateway and names the web user and profile, so that a request the
 * registrar forwards can be mapped back to them: {@code sip:SIPUSER@SIP_ADDRESS:PORT;transport=T;
 * pasarela-user=WEBUSER;pasarela-profile=PROFILE} (see {@link #CONTACT_USER_PARAM}).
 *
 * <p>Sends run on the registration's own lane over the shared sender pool (a TCP/TLS connect or a DNS lookup may
 * block); JAIN-SIP's threads call {@code on*}, which only translate and deliver.
 */
public final class SipRegistration {
    /** Contact URI parameter carrying the web user's name. */
    public static final String CONTACT_USER_PARAM = "pasarela-user";
    /** Contact URI parameter carrying the profile's name. */
    public static final String CONTACT_PROFILE_PARAM = "pasarela-profile";
    private static final Logger log = LoggerFactory.getLogger(SipRegistration.class);

    private final SipContext sip;
    private final CallIdHeader callId;
    private final SipProfile profile;
    private final String aor;
    private final String requestUri;
    private final String contactUser;
    private final String webUser;
    private final Consumer<RegistrationEvent> events;
    private final Runnable onForget;
    private final Lane sends;
    private final String fromTag = SipText.randomHex(6);
    private long cseq;
    private volatile SipHop hop;

    SipRegistration(SipContext sip, CallIdHeader callId, SipProfile profile, String aor, String requestUri,
                    String contactUser, String webUser, Consumer<RegistrationEvent> events, Runnable onForget) {
        this.sip = sip;
        this.callId = callId;
        this.profile = profile;
        this.aor = aor;
        this.requestUri = requestUri;
        this.contactUser = contactUser;
        this.webUser = webUser;
        this.events = events;
        this.onForget = onForget;
        this.sends = new Lane("register-" + callId.getCallId(), sip.sender);
    }

    public String sipCallId() {
        return callId.getCallId();
    }

    /** Sends one REGISTER with {@code Expires: expiresSeconds}, answering a challenge when given one. */
    public void send(int expiresSeconds, Optional<Authorization> authorization) {
        sends.execute(() -> {
            try {
                if (!sip.listeningPoints.containsKey(profile.transport())) {
                    throw new SipResolutionException("profile '" + profile.name() + "' uses " + profile.transport()
                            + " but sip.transports does not enable it");
                }
                hop = sip.resolver.resolve(profile.proxy(), profile.transport());
                Request request = build(expiresSeconds, authorization);
                sip.provider.getNewClientTransaction(request).sendRequest();
            } catch (SipResolutionException e) {
                events.accept(new NoResponse(503, e.getMessage()));
            } catch (SipException e) {
                events.accept(new NoResponse(503, "cannot send to " + hop + ": " + SipText.rootMessage(e)));
            } catch (ParseException | InvalidArgumentException | RuntimeException e) {
                log.warn("registration {}: cannot build REGISTER: {}", aor, e.toString());
                events.accept(new NoResponse(503, "cannot build the REGISTER: " + e.getMessage()));
            }
        });
    }

    /** The registration is over: stop routing responses to it. */
    public void forget() {
        onForget.run();
    }

    void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        CSeqHeader header = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        int code = response.getStatusCode();
        if (code < 200 || header == null || !Request.REGISTER.equals(header.getMethod())) {
            return;
        }
        events.accept(new Responded(code, response.getReasonPhrase(), granted(response),
                intHeader(response, MinExpiresHeader.NAME), retryAfter(response), challenge(response, code)));
    }

    void onTimeout() {
        events.accept(new NoResponse(408, "no response from " + hop));
    }

    private Request build(int expiresSeconds, Optional<Authorization> authorization)
            throws ParseException, InvalidArgumentException {
        URI uri = sip.addresses.createURI(requestUri);
        Address aorAddress = sip.addresses.createAddress(sip.addresses.createURI(aor));
        Request request = sip.messages.createRequest(uri, Request.REGISTER, callId,
                sip.headers.createCSeqHeader(++cseq, Request.REGISTER),
                sip.headers.createFromHeader(aorAddress, fromTag), sip.headers.createToHeader(aorAddress, null),
                List.of(via(hop.transport())), sip.headers.createMaxForwardsHeader(70));
        request.addHeader(sip.headers.createContactHeader(sip.addresses.createAddress(contactUri())));
        request.addHeader(sip.headers.createExpiresHeader(expiresSeconds));
        request.addHeader(sip.headers.createRouteHeader(sip.addresses.createAddress(
                sip.addresses.createURI(hop.routeUri()))));
        request.addHeader(sip.headers.createHeader("User-Agent", sip.settings.userAgent()));
        if (authorization.isPresent()) {
            request.addHeader(sip.headers.createHeader(authorization.get().headerName(),
                    authorization.get().value()));
        }
        return request;
    }

    /** {@code sip:SIPUSER@ADDRESS:PORT;transport=T;pasarela-user=WEBUSER;pasarela-profile=PROFILE} */
    private SipURI contactUri() throws ParseException {
        Transport transport = profile.transport();
        ListeningPoint point = sip.listeningPoints.get(transport);
        SipURI uri = sip.addresses.createSipURI(contactUser, point.getIPAddress());
        uri.setPort(point.getPort());
        uri.setTransportParam(transport.name().toLowerCase());
        uri.setParameter(CONTACT_USER_PARAM, webUser);
        uri.setParameter(CONTACT_PROFILE_PARAM, profile.name());
        return uri;
    }

    private ViaHeader via(Transport transport) throws ParseException, InvalidArgumentException {
        ListeningPoint point = sip.listeningPoints.get(transport);
        return sip.headers.createViaHeader(point.getIPAddress(), point.getPort(), transport.name().toLowerCase(), null);
    }

    /** Our Contact's expires parameter in the 2xx, else the Expires header (RFC 3261 §10.2.4). */
    private OptionalInt granted(Response response) {
        ListIterator<?> contacts = response.getHeaders(ContactHeader.NAME);
        while (contacts != null && contacts.hasNext()) {
            Object next = contacts.next();
            if (next instanceof ContactHeader contact && contact.getAddress().getURI() instanceof SipURI uri
                    && webUser.equals(uri.getParameter(CONTACT_USER_PARAM))
                    && profile.name().equals(uri.getParameter(CONTACT_PROFILE_PARAM))
                    && contact.getExpires() >= 0) {
                return OptionalInt.of(contact.getExpires());
            }
        }
        return intHeader(response, ExpiresHeader.NAME);
    }

    private static OptionalInt intHeader(Response response, String name) {
        Object header = response.getHeader(name);
        if (header instanceof ExpiresHeader expires) return OptionalInt.of(expires.getExpires());
        if (header instanceof MinExpiresHeader min) return OptionalInt.of(min.getExpires());
        return OptionalInt.empty();
    }

    private static OptionalInt retryAfter(Response response) {
        Object header = response.getHeader(RetryAfterHeader.NAME);
        return header instanceof RetryAfterHeader retry ? OptionalInt.of(retry.getRetryAfter()) : OptionalInt.empty();
    }

    private Optional<DigestChallenge> challenge(Response response, int code) {
        if (code != Response.UNAUTHORIZED && code != Response.PROXY_AUTHENTICATION_REQUIRED) {
            return Optional.empty();
        }
        Object header = response.getHeader(code == Response.UNAUTHORIZED ? "WWW-Authenticate" : "Proxy-Authenticate");
        if (header == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(DigestChallenge.parse(SipText.headerValue(header.toString())));
        } catch (DigestException e) {
            log.info("registration {}: unusable challenge: {}", aor, e.getMessage());
            return Optional.empty();
        }
    }


}

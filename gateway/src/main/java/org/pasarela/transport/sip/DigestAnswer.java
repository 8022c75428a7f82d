package org.pasarela.transport.sip;

import java.text.ParseException;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Response;
import org.pasarela.config.Credentials;
import org.pasarela.sip.DigestAuthenticator;
import org.pasarela.sip.DigestChallenge;
import org.pasarela.sip.DigestException;

/**
 * The challenge a 401 or 407 carries, and the header that answers it (RFC 3261 §22.2, §22.3): WWW-Authenticate is
 * answered with Authorization, Proxy-Authenticate with Proxy-Authorization. Whether to answer at all is
 * {@link org.pasarela.sip.DigestPolicy}'s to say; the call's INVITE and the requests inside its dialog ask both.
 */
record DigestAnswer(DigestChallenge challenge, boolean proxy) {

    /** The challenge in {@code response}, a 401 or 407. */
    static DigestAnswer of(Response response) {
        boolean proxy = response.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
        String name = proxy ? ProxyAuthenticateHeader.NAME : WWWAuthenticateHeader.NAME;
        Header header = response.getHeader(name);
        if (header == null) {
            throw new DigestException("no " + name + " header");
        }
        return new DigestAnswer(DigestChallenge.parse(SipText.headerValue(header.toString())), proxy);
    }

    /** The Authorization or Proxy-Authorization header for {@code method} to {@code uri}, a fresh cnonce each. */
    Header header(HeaderFactory headers, String method, String uri, Credentials credentials) throws ParseException {
        return headers.createHeader(proxy ? "Proxy-Authorization" : "Authorization",
                DigestAuthenticator.authorization(challenge, method, uri, credentials.username(),
                        credentials.password(), SipText.randomHex(8), 1));
    }
}

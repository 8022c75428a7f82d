package org.pasarela.dialplan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.pasarela.config.Transport;

/**
 * What the router and the incoming call need from a dialog-creating INVITE, taken off the wire by the SIP edge.
 * {@code requestUriParams} holds the request URI's parameters (a parameter without a value maps to ""), among them
 * {@code pasarela-user} and {@code pasarela-profile} when the INVITE was routed to a registration's Contact. The
 * user parts are null when a URI has none; {@code fromDisplayName} and {@code sdp} (null = late offer) are
 * nullable. Immutable.
 */
public record InboundInvite(String sourceAddress, int sourcePort, Transport transport, String requestUri,
                            String requestUser, Map<String, String> requestUriParams, String toUri, String toUser,
                            String fromUri, String fromUser, String fromDisplayName, String sdp) {
    public InboundInvite {
        Objects.requireNonNull(sourceAddress, "sourceAddress");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(requestUri, "requestUri");
        Objects.requireNonNull(toUri, "toUri");
        Objects.requireNonNull(fromUri, "fromUri");
        if (sourcePort < 0 || sourcePort > 65535) {
            throw new IllegalArgumentException("source port " + sourcePort + " is not 0-65535");
        }
        requestUriParams = Collections.unmodifiableMap(new LinkedHashMap<>(requestUriParams));
    }

    /** A request URI parameter's value, or null when absent. */
    public String requestUriParam(String name) {
        return requestUriParams.get(name);
    }
}

package org.pasarela.transport.sip;

import gov.nist.javax.sip.message.SIPRequest;
import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderAddress;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.pasarela.config.Transport;
import org.pasarela.dialplan.InboundInvite;

/** Takes what the router and the call need off a JAIN-SIP INVITE: the packet's source, URIs, users and SDP. */
final class InboundInviteReader {
    private InboundInviteReader() {
    }

    static InboundInvite read(Request request) {
        String source = "0.0.0.0";
        int port = 0;
        if (request instanceof SIPRequest nist && nist.getPeerPacketSourceAddress() != null) {
            // The packet's real source, not the Via's claim: the router trusts addresses, so they must be true.
            InetAddress address = nist.getPeerPacketSourceAddress();
            source = address.getHostAddress();
            port = nist.getPeerPacketSourcePort();
        }
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        Transport transport = via == null ? Transport.UDP
                : Transport.parse(via.getTransport()).orElse(Transport.UDP);
        URI requestUri = request.getRequestURI();
        Address to = ((HeaderAddress) request.getHeader(ToHeader.NAME)).getAddress();
        Address from = ((HeaderAddress) request.getHeader(FromHeader.NAME)).getAddress();
        return new InboundInvite(source, Math.max(port, 0), transport, requestUri.toString(), user(requestUri),
                params(requestUri), to.getURI().toString(), user(to.getURI()), from.getURI().toString(),
                user(from.getURI()), from.getDisplayName(), SipText.sdpBody(request));
    }

    private static String user(URI uri) {
        return uri instanceof SipURI sip ? sip.getUser() : null;
    }

    private static Map<String, String> params(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        if (uri instanceof SipURI sip) {
            for (Iterator<?> names = sip.getParameterNames(); names.hasNext(); ) {
                String name = (String) names.next();
                String value = sip.getParameter(name);
                params.put(name, value == null ? "" : value);
            }
        }
        return params;
    }
}

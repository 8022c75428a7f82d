package org.pasarela.transport.sip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import org.pasarela.config.SipUri;
import org.pasarela.config.Transport;

/**
 * Finds the hop for a profile's proxy URI, following RFC 3263 §4.2: an IP literal or an explicit port is used
 * as it is (A/AAAA lookup for a name with a port); a bare domain gets an SRV lookup for the profile's transport
 * ({@code _sip._udp}, {@code _sip._tcp}, {@code _sips._tcp}), then A/AAAA of the chosen target, falling back to
 * A/AAAA of the domain on the default port when no SRV record exists.
 *
 * <p>The transport is the profile's: it is configured per profile, so NAPTR-based transport selection
 * (§4.1) is not used. Blocking (DNS): call it off the lanes and event loops.
 */
public final class SipResolver {
    private final String dnsServer;

    /** @param dnsServer "host:port" of the DNS server to ask for SRV records, or null for the system's. */
    public SipResolver(String dnsServer) {
        this.dnsServer = dnsServer;
    }

    public SipHop resolve(SipUri proxy, Transport transport) throws SipResolutionException {
        String host = proxy.host();
        if (proxy.port().isPresent()) {
            return new SipHop(addressOf(host), proxy.port().getAsInt(), transport);
        }
        if (isIpLiteral(host)) {
            return new SipHop(stripBrackets(host), defaultPort(transport), transport);
        }
        List<SrvRecord> records = srv(srvName(host, transport));
        for (SrvRecord record : records) {
            try {
                return new SipHop(addressOf(record.target()), record.port(), transport);
            } catch (SipResolutionException e) {
                // try the next target in priority order (RFC 2782)
            }
        }
        return new SipHop(addressOf(host), defaultPort(transport), transport);
    }

    static String srvName(String domain, Transport transport) {
        return switch (transport) {
            case UDP -> "_sip._udp." + domain;
            case TCP -> "_sip._tcp." + domain;
            case TLS -> "_sips._tcp." + domain;
        };
    }

    static int defaultPort(Transport transport) {
        return transport == Transport.TLS ? 5061 : 5060;
    }

    private static boolean isIpLiteral(String host) {
        return host.startsWith("[") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static String addressOf(String host) throws SipResolutionException {
        try {
            return InetAddress.getByName(stripBrackets(host)).getHostAddress();
        } catch (UnknownHostException e) {
            throw new SipResolutionException("cannot resolve SIP host '" + host + "'");
        }
    }

    /** SRV records sorted by priority, then weight (highest first; RFC 2782's random choice is not needed here). */
    List<SrvRecord> srv(String name) {
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("java.naming.provider.url", dnsServer == null ? "dns:" : "dns://" + dnsServer);
        env.put("com.sun.jndi.dns.timeout.initial", "1000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        List<SrvRecord> out = new ArrayList<>();
        DirContext context = null;
        try {
            context = new InitialDirContext(env);
            Attributes attributes = context.getAttributes(name, new String[] {"SRV"});
            Attribute srv = attributes.get("SRV");
            if (srv == null) {
                return out;
            }
            for (int i = 0; i < srv.size(); i++) {
                SrvRecord record = SrvRecord.parse(String.valueOf(srv.get(i)));
                if (record != null) {
                    out.add(record);
                }
            }
        } catch (NamingException e) {
            return out; // no SRV record (or no DNS): RFC 3263 falls back to A/AAAA
        } finally {
            if (context != null) {
                try {
                    context.close();
                } catch (NamingException ignored) {
                    // nothing to release beyond the socket JNDI already closed
                }
            }
        }
        out.sort(Comparator.comparingInt(SrvRecord::priority).thenComparing(Comparator.comparingInt(SrvRecord::weight).reversed()));
        return out;
    }

    /** One SRV answer: "priority weight port target." (RFC 2782). */
    record SrvRecord(int priority, int weight, int port, String target) {
        static SrvRecord parse(String text) {
            String[] parts = text.trim().split("\\s+");
            if (parts.length != 4) {
                return null;
            }
            try {
                String target = parts[3].endsWith(".") ? parts[3].substring(0, parts[3].length() - 1) : parts[3];
                if (target.isEmpty()) {
                    return null; // "." means the service is not offered here
                }
                int port = Integer.parseInt(parts[2]);
                if (port < 1 || port > 65535) {
                    return null;
                }
                return new SrvRecord(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), port, target);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}

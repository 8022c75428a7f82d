package org.pasarela.transport.sip;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.pasarela.config.SipUri;
import org.pasarela.config.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the hop for a profile's proxy URI, following RFC 3263 §4.2: an IP literal or an explicit port is used
 * as it is (A/AAAA lookup for a name with a port); a bare domain gets an SRV lookup for the profile's transport
 * ({@code _sip._udp}, {@code _sip._tcp}, {@code _sips._tcp}), tried in RFC 2782 order (priority, then weighted
 * random choice), each target's A/AAAA in turn; only when the domain has no SRV record at all does it fall back
 * to A/AAAA of the domain on the default port.
 *
 * <p>The transport is the profile's: it is configured per profile, so NAPTR-based transport selection
 * (§4.1) is not used. The first target with an address is the hop: whether it answers is not known here, and
 * the SIP leg sends to that one hop only (no failover to the next target). For TLS hops the proxy's host is
 * recorded as the name the peer's certificate must carry (RFC 5922 §4.1).
 *
 * <p>Blocking (DNS): call it off the lanes and event loops. Thread-safe.
 */
public final class SipResolver {
    private static final Logger log = LoggerFactory.getLogger(SipResolver.class);

    private final DnsLookup dns;
    private final boolean strict;
    private final RandomGenerator random;
    private final TlsPeerNames tlsPeers;

    /**
     * @param dnsServer "host:port" of the DNS server to ask for SRV, A and AAAA records, or null for the
     *                  system's resolver
     */
    public SipResolver(String dnsServer) {
        this(dnsServer, new TlsPeerNames());
    }

    SipResolver(String dnsServer, TlsPeerNames tlsPeers) {
        this(new JndiDns(dnsServer), dnsServer != null, new SecureRandom(), tlsPeers);
    }

    /**
     * @param strict true when a configured DNS server must answer; false (system resolver) treats an SRV query
     *               that got no answer as "no SRV record" and goes on with the system's address lookup
     */
    SipResolver(DnsLookup dns, boolean strict, RandomGenerator random, TlsPeerNames tlsPeers) {
        this.dns = dns;
        this.strict = strict;
        this.random = random;
        this.tlsPeers = tlsPeers;
    }

    public SipHop resolve(SipUri proxy, Transport transport) throws SipResolutionException {
        String host = stripBrackets(proxy.host());
        SipHop hop;
        if (isIpLiteral(proxy.host())) {
            hop = new SipHop(host, proxy.port().orElse(defaultPort(transport)), transport);
        } else if (proxy.port().isPresent()) {
            hop = new SipHop(addressOf(host), proxy.port().getAsInt(), transport);
        } else {
            hop = viaSrv(host, transport);
        }
        if (transport == Transport.TLS) {
            tlsPeers.expect(hop, host);
        }
        return hop;
    }

    /**
     * Every address {@code proxy} may send from, as far as DNS tells: the IP literal itself; every A/AAAA address of
     * a host with a port; for a bare domain, every A/AAAA address of every SRV target (or of the domain when it has
     * no SRV record). Used to recognise requests from a profile's proxy; unlike {@link #resolve} it records no TLS
     * peer name. Blocking (DNS).
     */
    public java.util.Set<String> sourceAddresses(SipUri proxy, Transport transport) throws SipResolutionException {
        String host = stripBrackets(proxy.host());
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        if (isIpLiteral(proxy.host())) {
            out.add(host);
        } else if (proxy.port().isPresent()) {
            out.addAll(addresses(host, host));
        } else {
            List<SrvRecord> records = srv(host, srvName(host, transport));
            if (records.isEmpty()) {
                out.addAll(addresses(host, host));
            }
            for (SrvRecord record : records) {
                if (!record.notOffered()) {
                    out.addAll(addresses(host, record.target()));
                }
            }
        }
        if (out.isEmpty()) {
            throw new SipResolutionException("cannot resolve SIP host '" + host + "': no A/AAAA record");
        }
        return out;
    }

    private SipHop viaSrv(String domain, Transport transport) throws SipResolutionException {
        String name = srvName(domain, transport);
        List<SrvRecord> records = srv(domain, name);
        if (records.isEmpty()) {
            List<String> addresses = addresses(domain, domain);
            if (addresses.isEmpty()) {
                throw new SipResolutionException("cannot resolve SIP domain '" + domain + "': no SRV " + name
                        + " and no A/AAAA record");
            }
            return new SipHop(addresses.get(0), defaultPort(transport), transport);
        }
        if (records.size() == 1 && records.get(0).notOffered()) {
            throw new SipResolutionException("cannot resolve SIP domain '" + domain + "': SRV " + name
                    + " says the service is not offered there (target '.')");
        }
        List<String> tried = new ArrayList<>();
        for (SrvRecord record : SrvRecord.order(records, random)) {
            if (record.notOffered()) {
                continue;
            }
            List<String> addresses = addresses(domain, record.target());
            if (!addresses.isEmpty()) {
                return new SipHop(addresses.get(0), record.port(), transport);
            }
            tried.add(record.target() + ":" + record.port());
        }
        throw new SipResolutionException("cannot resolve SIP domain '" + domain + "': SRV " + name + " names "
                + String.join(", ", tried) + ", none of which has an A/AAAA record");
    }

    private List<SrvRecord> srv(String domain, String name) throws SipResolutionException {
        List<String> texts;
        try {
            texts = dns.srv(name);
        } catch (DnsException e) {
            if (strict) {
                throw new SipResolutionException("cannot resolve SIP domain '" + domain + "': " + e.getMessage());
            }
            log.debug("no SRV answer for {} ({}); trying A/AAAA", name, e.getMessage());
            return List.of();
        }
        List<SrvRecord> records = new ArrayList<>();
        for (String text : texts) {
            try {
                records.add(SrvRecord.parse(text));
            } catch (DnsException e) {
                log.warn("{}: ignoring an unusable answer: {}", name, e.getMessage());
            }
        }
        if (records.isEmpty() && !texts.isEmpty()) {
            throw new SipResolutionException("cannot resolve SIP domain '" + domain + "': every SRV " + name
                    + " record is unusable: " + String.join("; ", texts));
        }
        return records;
    }

    private List<String> addresses(String domain, String host) throws SipResolutionException {
        try {
            return dns.addresses(host);
        } catch (DnsException e) {
            String what = domain.equals(host) ? "SIP domain '" + domain + "'" : "SIP domain '" + domain
                    + "' (SRV target " + host + ")";
            throw new SipResolutionException("cannot resolve " + what + ": " + e.getMessage());
        }
    }

    private String addressOf(String host) throws SipResolutionException {
        List<String> addresses = addresses(host, host);
        if (addresses.isEmpty()) {
            throw new SipResolutionException("cannot resolve SIP host '" + host + "': " + dns.server()
                    + " has no A/AAAA record for it");
        }
        return addresses.get(0);
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
}

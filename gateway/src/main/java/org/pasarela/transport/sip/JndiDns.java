package org.pasarela.transport.sip;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * DNS through the JDK's JNDI DNS provider. With a configured server every question (SRV, A, AAAA) goes to
 * it; without one, SRV goes to the servers in the system's resolver configuration and addresses come from
 * {@link InetAddress} (so {@code /etc/hosts} applies, as for any other program). Blocking; thread-safe.
 */
final class JndiDns implements DnsLookup {
    private final String server;

    /** @param server "host:port" of the DNS server to ask, or null for the system's */
    JndiDns(String server) {
        this.server = server;
    }

    @Override
    public String server() {
        return server == null ? "the system resolver" : "DNS server " + server;
    }

    @Override
    public List<String> srv(String name) throws DnsException {
        return query(name, "SRV");
    }

    @Override
    public List<String> addresses(String host) throws DnsException {
        if (server == null) {
            try {
                InetAddress[] all = InetAddress.getAllByName(host);
                return Arrays.stream(all)
                        .sorted(Comparator.comparingInt(a -> a instanceof Inet4Address ? 0 : 1))
                        .map(InetAddress::getHostAddress)
                        .distinct()
                        .toList();
            } catch (UnknownHostException e) {
                return List.of();
            }
        }
        List<String> out = new ArrayList<>(query(host, "A"));
        out.addAll(query(host, "AAAA"));
        return out;
    }

    private List<String> query(String name, String type) throws DnsException {
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("java.naming.provider.url", server == null ? "dns:" : "dns://" + server);
        env.put("com.sun.jndi.dns.timeout.initial", "1000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        DirContext context = null;
        try {
            context = new InitialDirContext(env);
            Attributes attributes = context.getAttributes(name, new String[] {type});
            Attribute values = attributes.get(type);
            List<String> out = new ArrayList<>();
            if (values == null) {
                return out; // the name exists but has no record of this type
            }
            NamingEnumeration<?> all = values.getAll();
            while (all.hasMore()) {
                out.add(String.valueOf(all.next()));
            }
            return out;
        } catch (NameNotFoundException e) {
            return List.of(); // NXDOMAIN
        } catch (NamingException e) {
            throw new DnsException(server() + " did not answer " + type + " " + name + ": " + describe(e), e);
        } finally {
            if (context != null) {
                try {
                    context.close();
                } catch (NamingException ignored) {
                    // JNDI has already closed its socket; nothing else to release
                }
            }
        }
    }

    private static String describe(NamingException e) {
        String text = e.getExplanation() != null ? e.getExplanation() : e.getClass().getSimpleName();
        Throwable root = e.getRootCause();
        return root != null && root.getMessage() != null ? text + " (" + root.getMessage() + ")" : text;
    }
}

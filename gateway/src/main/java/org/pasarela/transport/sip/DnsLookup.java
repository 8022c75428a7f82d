package org.pasarela.transport.sip;

import java.util.List;

/** The two DNS questions RFC 3263 §4.2 asks. Blocking; implementations say which server they ask. */
interface DnsLookup {
    /** The SRV records of {@code name} as "priority weight port target" texts; empty when there are none. */
    List<String> srv(String name) throws DnsException;

    /** The IPv4 then IPv6 addresses of {@code host}, as literals; empty when it has none. */
    List<String> addresses(String host) throws DnsException;

    /** Who is asked, for messages: "DNS server 192.0.2.53:53" or "the system resolver". */
    String server();
}

package org.pasarela.transport.sip;

/** A DNS answer could not be had or could not be used: the message names the query or record at fault. */
final class DnsException extends Exception {
    DnsException(String message) {
        super(message);
    }

    DnsException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.pasarela.transport.dtls;

/**
 * Which side of the DTLS handshake we play. RFC 5763 §5: the side that answers {@code a=setup:passive} waits for
 * the ClientHello, so it is the {@link #SERVER}; {@code a=setup:active} makes us the {@link #CLIENT}.
 */
public enum DtlsRole {
    CLIENT,
    SERVER
}

package org.pasarela.transport.dtls;

/**
 * Where a {@link DtlsEndpoint} puts the DTLS records it wants on the wire: usually the ICE-selected socket.
 *
 * <p>Called on the handshake thread while handshaking and on the caller of {@link DtlsEndpoint#receive} or
 * {@link DtlsEndpoint#close} afterwards; it must not block for long and must not call back into the endpoint.
 * The array is only valid during the call.
 */
@FunctionalInterface
public interface DatagramSender {
    void send(byte[] data, int offset, int length);
}

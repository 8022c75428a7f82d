package org.pasarela.transport.dtls;

import java.util.Objects;

/**
 * Why a DTLS handshake did not produce SRTP keys. The message is for logs and the hangup reason; {@link #kind()}
 * is for code that reacts differently (a fingerprint mismatch is an attack or a signalling bug, a timeout is a
 * network problem).
 */
public final class DtlsHandshakeException extends Exception {
    public enum Kind {
        /** The peer's certificate does not hash to any {@code a=fingerprint} from its SDP (RFC 8122 §5). */
        FINGERPRINT_MISMATCH,
        /** The peer sent no certificate; WebRTC requires mutual authentication (RFC 8827 §6.5). */
        NO_PEER_CERTIFICATE,
        /** use_srtp missing or without a profile both sides allow (RFC 5764 §4.1). */
        NO_COMMON_SRTP_PROFILE,
        /** The peer did not offer extended_master_secret (RFC 7627), which we require. */
        NO_EXTENDED_MASTER_SECRET,
        TIMEOUT,
        /** The peer sent a fatal alert. */
        PEER_ALERT,
        /** {@link DtlsEndpoint#close()} was called before the handshake finished. */
        CLOSED,
        /** Anything else the DTLS stack refused (no common cipher suite, bad message, ...). */
        PROTOCOL_ERROR
    }

    private final Kind kind;

    public DtlsHandshakeException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    DtlsHandshakeException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}

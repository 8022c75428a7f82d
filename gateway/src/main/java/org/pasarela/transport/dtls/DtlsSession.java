package org.pasarela.transport.dtls;

import org.pasarela.srtp.SrtpProfile;

/**
 * What a finished DTLS handshake agreed on, for logs and interop checks.
 *
 * @param cipherSuite IANA name, e.g. {@code TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}
 * @param extendedMasterSecret RFC 7627 was used (we require it)
 * @param secureRenegotiation RFC 5746 renegotiation_info was exchanged
 */
public record DtlsSession(String cipherSuite, SrtpProfile srtpProfile, boolean extendedMasterSecret,
                          boolean secureRenegotiation) {}

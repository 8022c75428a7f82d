package org.pasarela.bridge;

import java.util.List;
import java.util.Objects;

/**
 * What the media relay must know about the browser's end of a call, whichever side offered: the browser's ICE
 * username fragment (its checks carry it), the certificate fingerprints its DTLS must match, and the DTLS role
 * the gateway took in the SDP ({@code passive}: DTLS server; {@code active}: client).
 */
public record BrowserPeer(String iceUfrag, List<String> fingerprints, DtlsSetup gatewaySetup) {
    public BrowserPeer {
        Objects.requireNonNull(iceUfrag, "iceUfrag");
        fingerprints = List.copyOf(fingerprints);
        if (fingerprints.isEmpty()) throw new IllegalArgumentException("at least one fingerprint is needed");
        if (gatewaySetup == DtlsSetup.ACTPASS) {
            throw new IllegalArgumentException("the gateway's negotiated DTLS role cannot be actpass");
        }
    }
}

package org.pasarela.transport.dtls;

import java.security.KeyPair;
import java.security.cert.X509Certificate;

/**
 * The gateway's DTLS identity: a self-signed certificate, its key pair and the SHA-256 fingerprint that goes
 * into every WebRTC answer as {@code a=fingerprint:sha-256} (RFC 8122 §5).
 */
public record DtlsCertificate(X509Certificate certificate, KeyPair keyPair, String fingerprintSha256) {}

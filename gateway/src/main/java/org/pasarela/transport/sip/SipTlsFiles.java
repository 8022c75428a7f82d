package org.pasarela.transport.sip;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The PEM files of SIP over TLS: the gateway's certificate chain and key ({@code tls.certificate},
 * {@code tls.key}) and, optionally, the CAs trusted for TLS peers ({@code tls.truststore}; absent = the JVM's
 * default trust store).
 */
public record SipTlsFiles(Path certificate, Path key, Optional<Path> truststore) {
    public SipTlsFiles {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(truststore, "truststore");
    }

    /** Where trust comes from, for messages. */
    String trustSource() {
        return truststore.map(p -> "tls.truststore (" + p + ")").orElse("the JVM's default trust store");
    }
}

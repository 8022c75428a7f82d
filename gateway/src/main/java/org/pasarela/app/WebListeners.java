package org.pasarela.app;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.pasarela.config.GatewayConfig;
import org.pasarela.config.WebConfig;
import org.pasarela.transport.ws.HttpsCertificate;
import org.pasarela.transport.ws.HttpsCertificateException;
import org.pasarela.transport.ws.WebListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which listeners browsers get from the configuration: plain HTTP/WS on {@code http.address:http.port} (loopback
 * unless {@code http.allow-plain}; the configuration checked that), then HTTPS/WSS on
 * {@code https.address:https.port} when enabled, with the operator's PEM certificate or the self-signed one kept
 * in {@code data.dir}. Logs the certificate's SHA-256 fingerprint, which clients without a CA can pin.
 */
final class WebListeners {
    private static final Logger log = LoggerFactory.getLogger(WebListeners.class);

    private WebListeners() {
    }

    /** The plain listener first, then the secure one if enabled. */
    static List<WebListener> of(GatewayConfig gateway, WebConfig web, SecureRandom random, Instant now)
            throws HttpsCertificateException {
        List<WebListener> listeners = new ArrayList<>();
        listeners.add(WebListener.plain(gateway.httpAddress(), gateway.httpPort()));
        if (web.httpsEnabled()) {
            HttpsCertificate certificate = web.httpsCertificate().isPresent()
                    ? HttpsCertificate.fromPem(web.httpsCertificate().get(), web.httpsKey().orElseThrow())
                    : HttpsCertificate.selfSigned(gateway.dataDir(), web.httpsHostnames(), random, now);
            log.info("HTTPS certificate {} ({}, {}, valid until {}) fingerprint sha-256 {}",
                    certificate.certificate().getSubjectX500Principal().getName(),
                    describe(certificate.origin()), certificate.certificateFile().toAbsolutePath().normalize(),
                    certificate.certificate().getNotAfter().toInstant(), certificate.fingerprintSha256());
            listeners.add(WebListener.secure(web.httpsAddress(), web.httpsPort(), certificate));
        }
        return listeners;
    }

    private static String describe(HttpsCertificate.Origin origin) {
        return switch (origin) {
            case CONFIGURED -> "https.certificate";
            case GENERATED -> "self-signed, made now";
            case REUSED -> "self-signed, kept from an earlier start";
        };
    }
}

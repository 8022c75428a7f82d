package org.pasarela.transport.sip;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** Builds the {@link SSLContext} of SIP over TLS from the configured PEM files. */
final class SipTlsContext {
    private SipTlsContext() {
    }

    static SSLContext create(SipTlsFiles files) throws TlsMaterialException {
        KeyStore identity = TlsKeyMaterial.identity(files.certificate(), files.key());
        KeyStore anchors = files.truststore().isPresent() ? TlsKeyMaterial.trustAnchors(files.truststore().get())
                : null; // null: the JVM's default trust store (cacerts)
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
            keys.init(identity, TlsKeyMaterial.PASSWORD);
            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(anchors);
            X509ExtendedTrustManager pkix = null;
            for (TrustManager manager : trust.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    pkix = x509;
                }
            }
            if (pkix == null) {
                throw new IllegalStateException("the JDK's PKIX TrustManagerFactory gave no X509ExtendedTrustManager");
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(),
                    new TrustManager[] {new PeerCertificateVerifier(pkix, files.trustSource())}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new TlsMaterialException("cannot set up TLS with " + files.certificate() + ", " + files.key()
                    + " and " + files.trustSource() + ": " + e.getMessage(), e);
        }
    }
}

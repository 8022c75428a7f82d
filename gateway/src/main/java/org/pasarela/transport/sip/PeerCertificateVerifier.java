package org.pasarela.transport.sip;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust manager of the SIP TLS context: the JDK's PKIX validation against the configured trust anchors,
 * plus the check that the peer's certificate names the host we meant to reach, which the connection must ask
 * for (endpoint identification). It fails closed: a server certificate offered where the name cannot be
 * checked is refused. Its messages say which of the two checks failed, for whom, and against what, since they
 * end up in the call's 503.
 *
 * <p>Client certificates (someone connecting to our TLS port) are validated against the same anchors; the SIP
 * stack does not ask for them ({@code TLS_CLIENT_AUTH_TYPE = Disabled}). Thread-safe (stateless).
 */
final class PeerCertificateVerifier extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final String trustSource;

    PeerCertificateVerifier(X509ExtendedTrustManager pkix, String trustSource) {
        this.pkix = pkix;
        this.trustSource = trustSource;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        if (!(socket instanceof SSLSocket ssl)) {
            throw new CertificateException("TLS: no socket to take the expected peer name from; refusing the "
                    + "certificate of " + subject(chain));
        }
        String peer = socket.getInetAddress() == null ? "?" : socket.getInetAddress().getHostAddress() + ":"
                + socket.getPort();
        check(chain, authType, ssl.getSSLParameters(), ssl.getHandshakeSession(), peer,
                () -> pkix.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        String peer = engine.getPeerHost() + ":" + engine.getPeerPort();
        check(chain, authType, engine.getSSLParameters(), engine.getHandshakeSession(), peer,
                () -> pkix.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("TLS: cannot check that the certificate " + subject(chain)
                + " names the intended peer without a connection; refused");
    }

    private interface Check {
        void run() throws CertificateException;
    }

    private void check(X509Certificate[] chain, String authType, SSLParameters parameters, SSLSession session,
                       String peer, Check withName) throws CertificateException {
        String algorithm = parameters.getEndpointIdentificationAlgorithm();
        if (algorithm == null || algorithm.isEmpty()) {
            throw new CertificateException("TLS: the connection to " + peer + " does not ask for the peer's name "
                    + "to be checked; refusing the certificate " + subject(chain));
        }
        String name = session == null || session.getPeerHost() == null ? peer : session.getPeerHost();
        try {
            pkix.checkServerTrusted(chain, authType); // the chain alone, so the message can say which check failed
        } catch (CertificateException e) {
            throw refused("TLS: the certificate of " + peer + " " + subject(chain) + " is not trusted: it does "
                    + "not chain to a CA in " + trustSource + " (" + e.getMessage() + ")", e);
        }
        try {
            withName.run();
        } catch (CertificateException e) {
            throw refused("TLS: the certificate of " + peer + " " + subject(chain) + " is not valid for '" + name
                    + "' (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Our message, without the JDK's as cause (it is kept as suppressed): the SIP leg reports the innermost
     * cause's message, and ours is the one that names the peer.
     */
    private static CertificateException refused(String message, CertificateException jdk) {
        CertificateException e = new CertificateException(message);
        e.addSuppressed(jdk);
        return e;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        pkix.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        pkix.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }

    private static String subject(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return "(none)";
        }
        return "(" + chain[0].getSubjectX500Principal().getName() + ", issued by "
                + chain[0].getIssuerX500Principal().getName() + ")";
    }
}

package org.pasarela.transport.dtls;

import org.pasarela.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

/**
 * Bouncy Castle's view of our DTLS client (the {@code a=setup:active} side): DTLS 1.2 only, ECDHE-ECDSA suites,
 * use_srtp with our profiles in preference order, extended_master_secret required. BC adds
 * TLS_EMPTY_RENEGOTIATION_INFO_SCSV itself (RFC 5746 §3.4), so secure renegotiation is signalled too.
 */
class SrtpDtlsClient extends DefaultTlsClient {
    private final HandshakePolicy policy;
    private SrtpProfile srtpProfile;

    SrtpDtlsClient(HandshakePolicy policy) {
        super(policy.crypto());
        this.policy = policy;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), policy.cipherSuites());
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return (int) policy.options().handshakeTimeout().toMillis();
    }

    @Override
    public int getHandshakeResendTimeMillis() {
        return (int) policy.options().initialRetransmitTimeout().toMillis();
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    @Override
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions,
                new UseSRTPData(policy.offeredSrtpProfileCodes(), TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        policy.requireExtendedMasterSecret(TlsExtensionsUtils.hasExtendedMasterSecretExtension(serverExtensions));
        UseSRTPData chosen = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        srtpProfile = policy.acceptServerSrtpProfile(chosen == null ? null : chosen.getProtectionProfiles());
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                policy.checkPeerCertificate(serverCertificate.getCertificate());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                return policy.signer(context, request.getSupportedSignatureAlgorithms());
            }
        };
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        policy.alertReceived(alertLevel, alertDescription);
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        policy.handshakeComplete(context, srtpProfile);
    }
}

package org.pasarela.transport.dtls;

import org.pasarela.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Hashtable;
import java.util.Vector;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

/**
 * Bouncy Castle's view of our DTLS server (the {@code a=setup:passive} side): DTLS 1.2 only, ECDHE-ECDSA
 * suites, a mandatory client certificate, use_srtp and extended_master_secret required. A ClientHello that also
 * offers DTLS 1.3 in supported_versions (Chromium with DTLS 1.3 enabled) is answered with DTLS 1.2: BC picks the
 * highest version both lists share, and writes no downgrade sentinel because 1.2 is the latest we support.
 */
class SrtpDtlsServer extends DefaultTlsServer {
    private final HandshakePolicy policy;
    private SrtpProfile srtpProfile;
    /** A refusal decided while reading the ClientHello, raised once the ServerHello is out (see below). */
    private TlsFatalAlert deferredRefusal;

    SrtpDtlsServer(HandshakePolicy policy) {
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

    /** Our order (AES-128-GCM first) rather than the client's: it is the cheapest suite through JCE. */
    @Override
    protected boolean preferLocalCipherSuites() {
        return true;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return (int) policy.options().handshakeTimeout().toMillis();
    }

    @Override
    public int getHandshakeResendTimeMillis() {
        return (int) policy.options().initialRetransmitTimeout().toMillis();
    }

    /**
     * extended_master_secret is still required, but checked in {@link #processClientExtensions} so the refusal
     * carries a reason and reaches the peer as an alert. BC still uses it whenever offered.
     */
    @Override
    public boolean requiresExtendedMasterSecret() {
        return false;
    }

    /**
     * Refusals found here are deferred: BC 1.79 cannot send an alert before the ServerHello has set the record
     * version, so throwing now would leave the peer waiting for its handshake timeout. Instead the ServerHello
     * goes out without use_srtp (RFC 5764 §4.1.3) and {@link #getServerSupplementalData} raises the alert.
     */
    @Override
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        try {
            policy.requireExtendedMasterSecret(
                    TlsExtensionsUtils.hasExtendedMasterSecretExtension(clientExtensions));
            UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
            srtpProfile = policy.selectSrtpProfile(offered == null ? null : offered.getProtectionProfiles());
        } catch (TlsFatalAlert refusal) {
            deferredRefusal = refusal;
        }
    }

    @Override
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getServerExtensions());
        if (srtpProfile != null) {
            // RFC 5764 §4.1.1: exactly one profile, and an empty MKI because WebRTC does not use SRTP MKIs.
            TlsSRTPUtils.addUseSRTPExtension(extensions,
                    new UseSRTPData(new int[] {srtpProfile.dtlsProfileId()}, TlsUtils.EMPTY_BYTES));
        }
        return extensions;
    }

    /** The first callback after the ServerHello is sent: the earliest point BC can deliver our alert. */
    @Override
    public Vector getServerSupplementalData() throws IOException {
        if (deferredRefusal != null) {
            throw deferredRefusal;
        }
        return super.getServerSupplementalData();
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return policy.signer(context, context.getSecurityParametersHandshake().getClientSigAlgs());
    }

    /** WebRTC authenticates both ends (RFC 8827 §6.5), so the client must send its certificate. */
    @Override
    public CertificateRequest getCertificateRequest() {
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        return new CertificateRequest(types, TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        policy.checkPeerCertificate(clientCertificate);
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

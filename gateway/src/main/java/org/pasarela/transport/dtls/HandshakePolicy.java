package org.pasarela.transport.dtls;

import org.pasarela.srtp.SrtpProfile;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Vector;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.pasarela.transport.dtls.DtlsHandshakeException.Kind;

/**
 * The WebRTC rules both DTLS roles share: which cipher suites, which SRTP profiles, how the peer's self-signed
 * certificate is judged (RFC 8122 §5 fingerprint, nothing else), how we sign, and how the SRTP keys are exported
 * (RFC 5764 §4.2). It also remembers the first precise failure reason, because Bouncy Castle only carries an
 * alert number out of the handshake.
 *
 * <p>Used by one handshake thread at a time; the results are read after the handshake through the endpoint.
 */
final class HandshakePolicy {
    /** What Chromium offers for an ECDSA certificate; AES-GCM first because JCE runs it on AES-NI/CLMUL. */
    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    };

    private final BcTlsCrypto crypto;
    private final DtlsRole role;
    private final DtlsOptions options;
    private final AsymmetricKeyParameter privateKey;
    private final Certificate localCertificate;
    private final List<Fingerprint> acceptedFingerprints;
    private final Consumer<String> onPeerClosed;
    private final AtomicReference<DtlsHandshakeException> failure = new AtomicReference<>();
    private volatile SrtpKeyingMaterial keys;
    private volatile DtlsSession session;
    private volatile boolean handshakeDone;

    HandshakePolicy(BcTlsCrypto crypto, DtlsRole role, DtlsCertificate local, List<Fingerprint> remote,
                    DtlsOptions options, Consumer<String> onPeerClosed) {
        this.crypto = crypto;
        this.role = role;
        this.options = options;
        this.privateKey = PRIVATE_KEYS.computeIfAbsent(local, HandshakePolicy::privateKey);
        this.onPeerClosed = onPeerClosed;
        this.localCertificate = PARSED.computeIfAbsent(local, certificate -> parse(crypto, certificate));
        this.acceptedFingerprints = strongestSupported(remote);
    }

    /**
     * The gateway's own certificate in Bouncy Castle's form, parsed once per certificate rather than once per call
     * (an X.509 parse on every call setup showed in the setup-rate profile). Read-only once made, so shareable.
     */
    private static final java.util.Map<DtlsCertificate, Certificate> PARSED =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** The private key in Bouncy Castle's lightweight form, converted once per certificate. */
    private static final java.util.Map<DtlsCertificate, AsymmetricKeyParameter> PRIVATE_KEYS =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private static AsymmetricKeyParameter privateKey(DtlsCertificate local) {
        try {
            return PrivateKeyFactory.createKey(local.keyPair().getPrivate().getEncoded());
        } catch (IOException e) {
            throw new IllegalArgumentException("local DTLS private key cannot be read: " + e.getMessage(), e);
        }
    }

    private static Certificate parse(BcTlsCrypto crypto, DtlsCertificate local) {
        try {
            return new Certificate(new TlsCertificate[] {crypto.createCertificate(local.certificate().getEncoded())});
        } catch (CertificateEncodingException | IOException e) {
            throw new IllegalArgumentException("local DTLS certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /**
     * RFC 8122 §5: of the peer's fingerprints, check those with the strongest hash function we support, so that a
     * forged weak one next to a correct strong one does not let a different certificate in.
     */
    static List<Fingerprint> strongestSupported(List<Fingerprint> remote) {
        if (remote.isEmpty()) {
            throw new IllegalArgumentException("no a=fingerprint for the peer: WebRTC requires one (RFC 8827 §6.5)");
        }
        int best = remote.stream().mapToInt(Fingerprint::strength).max().orElse(-1);
        if (best < 0) {
            throw new IllegalArgumentException("no a=fingerprint with a supported hash function " + Fingerprint.SUPPORTED
                    + ": " + remote);
        }
        List<Fingerprint> chosen = new ArrayList<>();
        for (Fingerprint f : remote) {
            if (f.strength() == best) {
                chosen.add(f);
            }
        }
        return List.copyOf(chosen);
    }

    BcTlsCrypto crypto() {
        return crypto;
    }

    DtlsOptions options() {
        return options;
    }

    int[] cipherSuites() {
        return CIPHER_SUITES.clone();
    }

    static String cipherSuiteName(int suite) {
        switch (suite) {
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:
                return "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:
                return "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256:
                return "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256";
            default:
                return String.format("0x%04X", suite);
        }
    }

    int[] offeredSrtpProfileCodes() {
        return options.srtpProfiles().stream().mapToInt(SrtpProfile::dtlsProfileId).toArray();
    }

    /** Server side, RFC 5764 §4.1.1: our most preferred profile that the client also offered. */
    SrtpProfile selectSrtpProfile(int[] clientCodes) throws TlsFatalAlert {
        if (clientCodes == null) {
            throw fail(Kind.NO_COMMON_SRTP_PROFILE, "peer offered no use_srtp extension (RFC 5764 §4.1.1)",
                    AlertDescription.handshake_failure);
        }
        for (SrtpProfile ours : options.srtpProfiles()) {
            if (Arrays.stream(clientCodes).anyMatch(code -> code == ours.dtlsProfileId())) {
                return ours;
            }
        }
        throw fail(Kind.NO_COMMON_SRTP_PROFILE, "peer offered no common SRTP profile: peer offered "
                + describeCodes(clientCodes) + ", we allow " + options.srtpProfiles(),
                AlertDescription.handshake_failure);
    }

    /** Client side, RFC 5764 §4.1.1: the server must pick exactly one profile we offered. */
    SrtpProfile acceptServerSrtpProfile(int[] serverCodes) throws TlsFatalAlert {
        if (serverCodes == null) {
            throw fail(Kind.NO_COMMON_SRTP_PROFILE, "peer answered without use_srtp: no common SRTP profile",
                    AlertDescription.handshake_failure);
        }
        Optional<SrtpProfile> chosen = serverCodes.length == 1
                ? SrtpProfile.fromDtlsProfileId(serverCodes[0]) : Optional.empty();
        if (chosen.isEmpty() || !options.srtpProfiles().contains(chosen.get())) {
            throw fail(Kind.NO_COMMON_SRTP_PROFILE, "peer chose SRTP profile " + describeCodes(serverCodes)
                    + " which we did not offer " + options.srtpProfiles(), AlertDescription.illegal_parameter);
        }
        return chosen.get();
    }

    private static String describeCodes(int[] codes) {
        List<String> names = new ArrayList<>();
        for (int code : codes) {
            names.add(SrtpProfile.fromDtlsProfileId(code).map(SrtpProfile::toString).orElse(String.format("0x%04X", code)));
        }
        return names.toString();
    }

    void requireExtendedMasterSecret(boolean offered) throws TlsFatalAlert {
        if (!offered) {
            throw fail(Kind.NO_EXTENDED_MASTER_SECRET,
                    "peer did not offer extended_master_secret (RFC 7627), which we require",
                    AlertDescription.handshake_failure);
        }
    }

    /** RFC 8122 §5 / RFC 8827 §6.5: the self-signed certificate is trusted only through the SDP fingerprint. */
    void checkPeerCertificate(Certificate chain) throws IOException {
        if (chain == null || chain.isEmpty()) {
            throw fail(Kind.NO_PEER_CERTIFICATE, "peer sent no certificate; WebRTC requires one (RFC 8827 §6.5)",
                    AlertDescription.handshake_failure);
        }
        byte[] der = chain.getCertificateAt(0).getEncoded();
        Fingerprint actual = Fingerprint.of(acceptedFingerprints.get(0).hashFunction(), der);
        if (!acceptedFingerprints.contains(actual)) {
            StringBuilder expected = new StringBuilder();
            for (Fingerprint f : acceptedFingerprints) {
                expected.append(expected.length() == 0 ? "" : " or ").append(f.hex());
            }
            throw fail(Kind.FINGERPRINT_MISMATCH, "peer certificate fingerprint " + actual
                    + " does not match a=fingerprint " + expected, AlertDescription.bad_certificate);
        }
    }

    /** Our signing credentials, with the ECDSA signature scheme the peer accepts (sha256 preferred). */
    TlsCredentialedSigner signer(TlsContext context, Vector<?> peerSignatureAlgorithms) throws TlsFatalAlert {
        SignatureAndHashAlgorithm chosen = null;
        if (peerSignatureAlgorithms == null) {
            // RFC 5246 §7.4.1.4.1: no signature_algorithms means {sha1, ecdsa}.
            chosen = SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha1, SignatureAlgorithm.ecdsa);
        } else {
            SignatureAndHashAlgorithm preferred =
                    SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);
            for (Object o : peerSignatureAlgorithms) {
                SignatureAndHashAlgorithm candidate = (SignatureAndHashAlgorithm) o;
                if (candidate.equals(preferred)) {
                    chosen = candidate;
                    break;
                }
                if (chosen == null && candidate.getSignature() == SignatureAlgorithm.ecdsa) {
                    chosen = candidate;
                }
            }
        }
        if (chosen == null) {
            throw fail(Kind.PROTOCOL_ERROR, "peer accepts no ECDSA signature algorithm: " + peerSignatureAlgorithms,
                    AlertDescription.handshake_failure);
        }
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, privateKey,
                localCertificate, chosen);
    }

    /** RFC 5764 §4.2: export 2 * (key + salt) bytes with the "EXTRACTOR-dtls_srtp" label and no context. */
    void handshakeComplete(TlsContext context, SrtpProfile profile) {
        byte[] exported = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, profile.keyingMaterialLength());
        keys = SrtpKeyingMaterial.fromExporterOutput(profile, role, exported);
        SecurityParameters parameters = context.getSecurityParametersConnection();
        session = new DtlsSession(cipherSuiteName(parameters.getCipherSuite()), profile,
                parameters.isExtendedMasterSecret(), parameters.isSecureRenegotiation());
        handshakeDone = true;
    }

    void alertReceived(short level, short description) {
        if (handshakeDone) {
            if (description == AlertDescription.close_notify || level == AlertLevel.fatal) {
                onPeerClosed.accept(closeReason(level, description));
            }
        } else if (level == AlertLevel.fatal) {
            failure.compareAndSet(null, new DtlsHandshakeException(Kind.PEER_ALERT,
                    "peer rejected the handshake with fatal alert " + AlertDescription.getName(description)));
        } else if (description == AlertDescription.close_notify || description == AlertDescription.user_canceled) {
            failure.compareAndSet(null, new DtlsHandshakeException(Kind.PEER_ALERT,
                    "peer abandoned the handshake with " + AlertDescription.getName(description)));
        }
    }

    private static String closeReason(short level, short description) {
        return (level == AlertLevel.fatal ? "peer sent fatal alert " : "peer sent ")
                + AlertDescription.getName(description);
    }

    Optional<DtlsHandshakeException> failure() {
        return Optional.ofNullable(failure.get());
    }

    SrtpKeyingMaterial keys() {
        return keys;
    }

    DtlsSession session() {
        return session;
    }

    private TlsFatalAlert fail(Kind kind, String reason, short alert) {
        failure.compareAndSet(null, new DtlsHandshakeException(kind, reason));
        return new TlsFatalAlert(alert, reason);
    }
}

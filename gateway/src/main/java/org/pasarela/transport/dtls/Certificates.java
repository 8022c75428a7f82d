package org.pasarela.transport.dtls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the DTLS certificate the gateway presents to browsers.
 *
 * <p>ECDSA P-256: browsers accept it, and the handshake costs a fraction of RSA's (issue 3 measured ~0.36 ms of
 * CPU per Bouncy Castle handshake). A fresh certificate at each start-up is what browsers do too; the
 * fingerprint is the only thing peers pin, and it travels in the SDP.
 */
public final class Certificates {
    private static final Duration VALIDITY = Duration.ofDays(30);

    private Certificates() {}

    public static DtlsCertificate generateEcdsaP256(SecureRandom random, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keyPair = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=pasarela");
            // Backdated a day so a peer with a slightly slow clock does not see a not-yet-valid certificate.
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, random).abs().add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)),
                    subject, keyPair.getPublic());
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new DtlsCertificate(certificate, keyPair, fingerprintSha256(certificate));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("this JVM cannot make an ECDSA P-256 certificate: " + e.getMessage(), e);
        }
    }

    /** RFC 8122 §5 fingerprint: upper-case hex pairs separated by colons, over the DER encoding. */
    public static String fingerprintSha256(X509Certificate certificate) {
        try {
            return Fingerprint.of("sha-256", certificate.getEncoded()).hex();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot fingerprint certificate: " + e.getMessage(), e);
        }
    }
}

package org.pasarela.transport.sip;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Throwaway CAs and leaf certificates made in the test, written as PEM: no key material is committed. */
final class TestPki {
    private static final SecureRandom RANDOM = new SecureRandom();

    record Issued(X509Certificate certificate, KeyPair keys) {
        String certificatePem() {
            return pem(certificate);
        }

        /** PKCS#8: BEGIN PRIVATE KEY. */
        String pkcs8KeyPem() {
            try {
                return pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Traditional (OpenSSL) form: BEGIN EC PRIVATE KEY (with the curve inside, as openssl writes it) or
         * BEGIN RSA PRIVATE KEY.
         */
        String traditionalKeyPem() {
            if (!keys.getPrivate().getAlgorithm().equals("EC")) {
                return pem(keys);
            }
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
            try {
                ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
                ECPrivateKey withCurve = new ECPrivateKey(256, inner.getKey(), inner.getPublicKey(),
                        info.getPrivateKeyAlgorithm().getParameters());
                return pem(new PemObject("EC PRIVATE KEY", withCurve.getEncoded()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        SipTlsFiles write(Path dir, String name, Issued trustedCa) throws IOException {
            Path cert = Files.writeString(dir.resolve(name + ".pem"), certificatePem(), StandardCharsets.US_ASCII);
            Path key = Files.writeString(dir.resolve(name + ".key"), pkcs8KeyPem(), StandardCharsets.US_ASCII);
            Path ca = Files.writeString(dir.resolve(name + "-ca.pem"), trustedCa.certificatePem(),
                    StandardCharsets.US_ASCII);
            return new SipTlsFiles(cert, key, java.util.Optional.of(ca));
        }
    }

    private TestPki() {
    }

    static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    static KeyPair rsaKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, RANDOM);
        return generator.generateKeyPair();
    }

    static Issued ca(String name) throws Exception {
        KeyPair keys = ecKeys();
        return new Issued(build(name, keys, name, keys, true, List.of()), keys);
    }

    /** A leaf signed by {@code ca}; {@code altNames} like "IP:127.0.0.1" or "DNS:example.net". */
    static Issued leaf(String name, Issued ca, KeyPair keys, List<String> altNames) throws Exception {
        return new Issued(build(name, keys, ca.certificate().getSubjectX500Principal().getName(), ca.keys(), false,
                altNames), keys);
    }

    private static X509Certificate build(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
                                         boolean isCa, List<String> altNames) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer.contains("=")
                ? issuer : "CN=" + issuer), BigInteger.valueOf(RANDOM.nextLong() & Long.MAX_VALUE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("CN=" + subject), subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (!altNames.isEmpty()) {
            GeneralName[] names = altNames.stream().map(n -> n.startsWith("IP:")
                    ? new GeneralName(GeneralName.iPAddress, n.substring(3))
                    : new GeneralName(GeneralName.dNSName, n.substring(4))).toArray(GeneralName[]::new);
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        String algorithm = issuerKeys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
    }

    static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}

package org.pasarela.transport.ws;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.pasarela.transport.dtls.Certificates;
import org.pasarela.transport.sip.TlsKeyMaterial;
import org.pasarela.transport.sip.TlsMaterialException;

/**
 * The certificate the HTTPS/WSS listener presents: read from the operator's PEM files, or a self-signed ECDSA P-256
 * certificate the gateway makes for itself at first start and keeps in its data directory
 * ({@value #CERTIFICATE_FILE}, {@value #KEY_FILE}, the key readable by the owner only). The kept one is used again
 * on the next start as long as it names the same hosts and has more than {@link #RENEW_BEFORE} left; otherwise a
 * new one replaces it. Browsers and clients that cannot check a CA pin its SHA-256 fingerprint, which start-up
 * logs. Immutable.
 */
public final class HttpsCertificate {
    public static final String CERTIFICATE_FILE = "https-certificate.pem";
    public static final String KEY_FILE = "https-key.pem";
    static final Duration VALIDITY = Duration.ofDays(365);
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    /** TLS 1.0 and 1.1 are deprecated (RFC 8996); every browser that has WebRTC speaks 1.2. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** Where the certificate came from, for the start-up log. */
    public enum Origin { CONFIGURED, GENERATED, REUSED }

    private final X509Certificate certificate;
    private final KeyManagerFactory keys;
    private final Path certificateFile;
    private final Origin origin;

    private HttpsCertificate(X509Certificate certificate, KeyManagerFactory keys, Path certificateFile,
                             Origin origin) {
        this.certificate = certificate;
        this.keys = keys;
        this.certificateFile = certificateFile;
        this.origin = origin;
    }

    /** The operator's certificate chain (leaf first) and its unencrypted private key, both PEM. */
    public static HttpsCertificate fromPem(Path certificateFile, Path keyFile) throws HttpsCertificateException {
        return load(certificateFile, keyFile, Origin.CONFIGURED);
    }

    /**
     * The self-signed certificate kept in {@code dataDir}, made (and written there) when there is none, when it
     * names other hosts than {@code hostnames}, or when it expires within {@link #RENEW_BEFORE} of {@code now}.
     *
     * @throws HttpsCertificateException naming the file when a kept file is unreadable or damaged (delete both to
     *                                   have them made again), or when the directory cannot be written
     */
    public static HttpsCertificate selfSigned(Path dataDir, List<String> hostnames, SecureRandom random, Instant now)
            throws HttpsCertificateException {
        if (hostnames.isEmpty()) {
            throw new IllegalArgumentException("a certificate needs at least one host name or address");
        }
        Path certificateFile = dataDir.resolve(CERTIFICATE_FILE);
        Path keyFile = dataDir.resolve(KEY_FILE);
        if (Files.exists(certificateFile) || Files.exists(keyFile)) {
            HttpsCertificate kept;
            try {
                kept = load(certificateFile, keyFile, Origin.REUSED);
            } catch (HttpsCertificateException e) {
                throw new HttpsCertificateException(e.getMessage() + " (this is the gateway's own self-signed "
                        + "certificate: delete " + certificateFile + " and " + keyFile + " to have a new one made)", e);
            }
            if (kept.names().equals(normalised(hostnames))
                    && kept.certificate.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE))
                    && !kept.certificate.getNotBefore().toInstant().isAfter(now)) {
                return kept;
            }
        }
        generate(certificateFile, keyFile, hostnames, random, now);
        return load(certificateFile, keyFile, Origin.GENERATED);
    }

    private static HttpsCertificate load(Path certificateFile, Path keyFile, Origin origin)
            throws HttpsCertificateException {
        try {
            KeyStore identity = TlsKeyMaterial.identity(certificateFile, keyFile);
            String alias = identity.aliases().nextElement();
            X509Certificate leaf = (X509Certificate) identity.getCertificate(alias);
            return new HttpsCertificate(leaf, TlsKeyMaterial.keyManagers(identity), certificateFile, origin);
        } catch (TlsMaterialException e) {
            throw new HttpsCertificateException(e.getMessage().replace("(tls.certificate, tls.key)",
                    "(https.certificate, https.key)"), e);
        } catch (GeneralSecurityException e) {
            throw new HttpsCertificateException(certificateFile + ": unusable: " + e.getMessage(), e);
        }
    }

    private static void generate(Path certificateFile, Path keyFile, List<String> hostnames, SecureRandom random,
                                 Instant now) throws HttpsCertificateException {
        X509Certificate certificate;
        KeyPair keyPair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            keyPair = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=" + hostnames.get(0).replaceAll("[,+=\"\\\\<>;#]", "_"));
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, random).add(BigInteger.ONE),
                    // Backdated a day so a peer with a slightly slow clock does not see a not-yet-valid certificate.
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), subject,
                    keyPair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(hostnames));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            certificate = new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("this JVM cannot make an ECDSA P-256 certificate: " + e.getMessage(), e);
        }
        try {
            Files.createDirectories(certificateFile.toAbsolutePath().getParent());
            writeAtomically(keyFile, pem(new JcaPKCS8Generator(keyPair.getPrivate(), null)), true);
            writeAtomically(certificateFile, pem(certificate), false);
        } catch (IOException e) {
            throw new HttpsCertificateException(certificateFile.toAbsolutePath().getParent()
                    + ": cannot keep the generated HTTPS certificate there (data.dir): " + e, e);
        }
    }

    private static GeneralNames subjectAltNames(List<String> hostnames) {
        List<GeneralName> names = new ArrayList<>();
        for (String host : new LinkedHashSet<>(hostnames)) {
            boolean address = host.indexOf(':') >= 0 || host.matches("[0-9.]+");
            names.add(new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName, host));
        }
        return new GeneralNames(names.toArray(new GeneralName[0]));
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    /** Write-then-rename, so a crash never leaves half a file that the next start would refuse. */
    private static void writeAtomically(Path file, String text, boolean ownerOnly) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        if (ownerOnly && Files.getFileStore(file.toAbsolutePath().getParent())
                .supportsFileAttributeView("posix")) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(temp, text, StandardCharsets.US_ASCII);
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The subjectAltName entries, lower case, IP addresses in canonical form. */
    Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        try {
            Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
            if (entries != null) {
                for (List<?> entry : entries) {
                    names.add(canonical(String.valueOf(entry.get(1))));
                }
            }
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        return names;
    }

    private static Set<String> normalised(List<String> hostnames) {
        Set<String> names = new LinkedHashSet<>();
        hostnames.forEach(h -> names.add(canonical(h)));
        return names;
    }

    private static String canonical(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.indexOf(':') >= 0) {
            try {
                return InetAddress.getByName(h).getHostAddress(); // an IPv6 literal: parsed, not looked up
            } catch (UnknownHostException e) {
                return h;
            }
        }
        return h;
    }

    /** A Netty server context presenting this certificate, TLS 1.2 and 1.3 only. */
    SslContext serverContext() {
        try {
            return SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK).protocols(PROTOCOLS).build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("cannot build the HTTPS context: " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** RFC 8122 §5 style: upper-case hex pairs separated by colons, over the DER encoding. */
    public String fingerprintSha256() {
        return Certificates.fingerprintSha256(certificate);
    }

    public Path certificateFile() {
        return certificateFile;
    }

    public Origin origin() {
        return origin;
    }
}

package org.pasarela.transport.sip;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The gateway's TLS identity and trust anchors, read from PEM: a certificate chain (leaf first) with its
 * unencrypted private key (PKCS#8 {@code BEGIN PRIVATE KEY}, or traditional {@code BEGIN RSA/EC PRIVATE KEY}),
 * and a CA bundle. Turned into in-memory {@link KeyStore}s: nothing is written to disk, so no key store
 * password exists to leak. Stateless; every error is a {@link TlsMaterialException} naming the file.
 */
public final class TlsKeyMaterial {
    /** Alias of the one private-key entry in {@link #identity}'s key store. */
    static final String ALIAS = "sip";
    /** Password of the in-memory key store: the store never leaves the process, so it protects nothing. */
    static final char[] PASSWORD = "in-memory".toCharArray();

    private TlsKeyMaterial() {
    }

    /** A PKCS#12 key store holding the key and chain of {@code certificateFile} and {@code keyFile}. */
    public static KeyStore identity(Path certificateFile, Path keyFile) throws TlsMaterialException {
        return identity(read(certificateFile), certificateFile.toString(), read(keyFile), keyFile.toString());
    }

    static KeyStore identity(String certificatePem, String certificateName, String keyPem, String keyName)
            throws TlsMaterialException {
        List<X509Certificate> chain = certificates(certificatePem, certificateName);
        if (chain.isEmpty()) {
            throw new TlsMaterialException(certificateName + ": no CERTIFICATE block: expected the gateway's "
                    + "certificate chain in PEM, leaf first");
        }
        PrivateKey key = privateKey(keyPem, keyName);
        X509Certificate leaf = chain.get(0);
        requireMatch(key, leaf, keyName, certificateName);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, PASSWORD, chain.toArray(new X509Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsMaterialException(keyName + ": cannot hold this key in a key store: " + e.getMessage(), e);
        }
    }

    /** Key managers that present the key and chain of an {@link #identity} store (also the HTTPS listener's). */
    public static javax.net.ssl.KeyManagerFactory keyManagers(KeyStore identity) throws TlsMaterialException {
        try {
            javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
            keys.init(identity, PASSWORD);
            return keys;
        } catch (GeneralSecurityException e) {
            throw new TlsMaterialException("cannot use the key store's key for TLS: " + e.getMessage(), e);
        }
    }

    /** A key store of trusted certificates, one entry per CERTIFICATE block of {@code bundleFile}. */
    public static KeyStore trustAnchors(Path bundleFile) throws TlsMaterialException {
        return trustAnchors(read(bundleFile), bundleFile.toString());
    }

    static KeyStore trustAnchors(String bundlePem, String bundleName) throws TlsMaterialException {
        List<X509Certificate> anchors = certificates(bundlePem, bundleName);
        if (anchors.isEmpty()) {
            throw new TlsMaterialException(bundleName + ": no CERTIFICATE block: expected CA certificates in PEM");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                store.setCertificateEntry("ca-" + i, anchors.get(i));
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsMaterialException(bundleName + ": cannot build a trust store: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(String pem, String name) throws TlsMaterialException {
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object object : objects(pem, name)) {
            if (object instanceof X509CertificateHolder holder) {
                try {
                    out.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new TlsMaterialException(name + ": certificate " + (out.size() + 1) + " ("
                            + holder.getSubject() + ") is unusable: " + e.getMessage(), e);
                }
            } else if (isPrivateKey(object)) {
                throw new TlsMaterialException(name + ": contains a private key; certificates and keys go in "
                        + "separate files (tls.certificate, tls.key)");
            }
        }
        return out;
    }

    private static PrivateKey privateKey(String pem, String name) throws TlsMaterialException {
        PrivateKey found = null;
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object object : objects(pem, name)) {
            PrivateKey key;
            try {
                if (object instanceof PEMKeyPair pair) {
                    key = converter.getPrivateKey(pair.getPrivateKeyInfo()); // BEGIN RSA/EC PRIVATE KEY
                } else if (object instanceof PrivateKeyInfo info) {
                    key = converter.getPrivateKey(info); // BEGIN PRIVATE KEY (PKCS#8)
                } else if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new TlsMaterialException(name + ": the private key is encrypted; the gateway needs it "
                            + "unencrypted (e.g. openssl pkey -in " + name + " -out plain.key), readable only by it");
                } else {
                    continue;
                }
            } catch (PEMException e) {
                throw new TlsMaterialException(name + ": unusable private key: " + e.getMessage(), e);
            }
            if (found != null) {
                throw new TlsMaterialException(name + ": more than one private key; expected exactly one");
            }
            found = key;
        }
        if (found == null) {
            throw new TlsMaterialException(name + ": no private key: expected a PEM block BEGIN PRIVATE KEY, "
                    + "BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY");
        }
        return found;
    }

    private static boolean isPrivateKey(Object object) {
        return object instanceof PEMKeyPair || object instanceof PrivateKeyInfo || object instanceof PEMEncryptedKeyPair
                || object instanceof PKCS8EncryptedPrivateKeyInfo;
    }

    private static List<Object> objects(String pem, String name) throws TlsMaterialException {
        List<Object> out = new ArrayList<>();
        try (Reader reader = new StringReader(pem); PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                out.add(o);
            }
        } catch (IOException | RuntimeException e) {
            throw new TlsMaterialException(name + ": not valid PEM: " + e.getMessage(), e);
        }
        return out;
    }

    /** Signs and verifies a probe, which works for every key type and proves the key is the leaf's. */
    private static void requireMatch(PrivateKey key, X509Certificate leaf, String keyName, String certificateName)
            throws TlsMaterialException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new TlsMaterialException(keyName + ": " + key.getAlgorithm()
                    + " keys are not supported; expected an RSA, EC or Ed25519 key");
        };
        byte[] probe = "pasarela key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key of another type than the certificate's: reported below
        }
        throw new TlsMaterialException(keyName + ": this private key does not belong to the first certificate of "
                + certificateName + " (" + leaf.getSubjectX500Principal().getName() + ")");
    }

    private static String read(Path file) throws TlsMaterialException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new TlsMaterialException(file + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new TlsMaterialException(file + ": not a PEM text file: " + e.getMessage(), e);
        }
    }
}

package org.pasarela.auth;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads a PEM {@code PUBLIC KEY} (SubjectPublicKeyInfo, RFC 7468 §13) holding an RSA or EC key. Pure. */
public final class PublicKeys {
    private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";

    private PublicKeys() {}

    /** @throws IllegalArgumentException saying what the text is instead */
    public static PublicKey fromPem(String pem) {
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            String hint = pem.contains("BEGIN RSA PUBLIC KEY")
                    ? " (this is PKCS#1; convert it: openssl rsa -RSAPublicKey_in -in KEY -pubout)"
                    : pem.contains("BEGIN CERTIFICATE")
                    ? " (this is a certificate; extract its key: openssl x509 -in CERT -pubkey -noout)" : "";
            throw new IllegalArgumentException("expected a PEM block " + BEGIN + " ... " + END + hint);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PUBLIC KEY block is not valid base64");
        }
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisKind) {
                // try the next kind
            }
        }
        throw new IllegalArgumentException("the PUBLIC KEY block holds neither an RSA nor an EC key");
    }
}

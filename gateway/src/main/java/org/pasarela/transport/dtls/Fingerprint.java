package org.pasarela.transport.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One {@code a=fingerprint} value (RFC 8122 §5): a hash function token and the digest of a DER certificate.
 * {@code toString()} is the SDP spelling, {@code sha-256 AB:CD:...}.
 */
public record Fingerprint(String hashFunction, byte[] digest) {
    /** The hash functions we can check, weakest first (RFC 8122 §5 tokens). */
    static final List<String> SUPPORTED = List.of("sha-1", "sha-224", "sha-256", "sha-384", "sha-512");

    public Fingerprint {
        Objects.requireNonNull(hashFunction, "hashFunction");
        Objects.requireNonNull(digest, "digest");
        hashFunction = hashFunction.toLowerCase(Locale.ROOT);
        digest = digest.clone();
    }

    /** Parses the value of an {@code a=fingerprint} attribute, e.g. {@code sha-256 AB:CD:...}. */
    public static Fingerprint parse(String attributeValue) {
        Objects.requireNonNull(attributeValue, "attributeValue");
        String[] parts = attributeValue.trim().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("a=fingerprint:" + attributeValue
                    + ": expected '<hash-function> <hex pairs separated by colons>'");
        }
        String[] pairs = parts[1].split(":", -1);
        byte[] digest = new byte[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            if (pairs[i].length() != 2 || Character.digit(pairs[i].charAt(0), 16) < 0
                    || Character.digit(pairs[i].charAt(1), 16) < 0) {
                throw new IllegalArgumentException("a=fingerprint:" + attributeValue + ": '" + pairs[i]
                        + "' is not a hex byte");
            }
            digest[i] = (byte) Integer.parseInt(pairs[i], 16);
        }
        return new Fingerprint(parts[0], digest);
    }

    /** The fingerprint of a DER-encoded certificate under a supported hash function. */
    public static Fingerprint of(String hashFunction, byte[] derCertificate) {
        String token = hashFunction.toLowerCase(Locale.ROOT);
        if (!SUPPORTED.contains(token)) {
            throw new IllegalArgumentException("hash function '" + hashFunction + "' is not one of " + SUPPORTED);
        }
        try {
            return new Fingerprint(token, MessageDigest.getInstance(token.toUpperCase(Locale.ROOT))
                    .digest(derCertificate));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no " + token + ": " + e.getMessage(), e);
        }
    }

    public boolean isSupported() {
        return SUPPORTED.contains(hashFunction);
    }

    /** Higher is stronger; -1 for hash functions we cannot check (md5, md2, unknown tokens). */
    int strength() {
        return SUPPORTED.indexOf(hashFunction);
    }

    /** Upper-case hex pairs separated by colons, the RFC 8122 §5 form. */
    public String hex() {
        StringBuilder out = new StringBuilder(digest.length * 3);
        for (byte b : digest) {
            if (out.length() > 0) {
                out.append(':');
            }
            out.append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)));
            out.append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
        }
        return out.toString();
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint other && hashFunction.equals(other.hashFunction)
                && Arrays.equals(digest, other.digest);
    }

    @Override
    public int hashCode() {
        return 31 * hashFunction.hashCode() + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return hashFunction + " " + hex();
    }
}

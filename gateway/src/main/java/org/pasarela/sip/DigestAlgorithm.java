package org.pasarela.sip;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The digest algorithms a SIP challenge may name: RFC 2617 §3.2.1 (MD5, MD5-sess) and RFC 7616 §3.2 / RFC 8760
 * (SHA-256, SHA-512-256 and their -sess variants).
 */
public enum DigestAlgorithm {
    MD5("MD5", "MD5", false),
    MD5_SESS("MD5-sess", "MD5", true),
    SHA_256("SHA-256", "SHA-256", false),
    SHA_256_SESS("SHA-256-sess", "SHA-256", true),
    SHA_512_256("SHA-512-256", "SHA-512/256", false),
    SHA_512_256_SESS("SHA-512-256-sess", "SHA-512/256", true);

    private final String token;
    private final String jcaName;
    private final boolean session;

    DigestAlgorithm(String token, String jcaName, boolean session) {
        this.token = token;
        this.jcaName = jcaName;
        this.session = session;
    }

    /** The algorithm token as RFC 7616 spells it, e.g. {@code MD5-sess}. Tokens are case-insensitive. */
    public static DigestAlgorithm fromToken(String token) {
        for (DigestAlgorithm a : values()) {
            if (a.token.toLowerCase(Locale.ROOT).equals(token.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new DigestException("unsupported algorithm \"" + token + "\"");
    }

    /** True for the -sess variants, whose HA1 also covers nonce and cnonce (RFC 7616 §3.4.2). */
    public boolean isSession() {
        return session;
    }

    /** Lower-case hex of the hash of {@code data} encoded as UTF-8. */
    String hash(String data) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JRE lacks " + jcaName + ", which Java 17 guarantees", e);
        }
        byte[] out = digest.digest(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder(out.length * 2);
        for (byte b : out) {
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }

    @Override
    public String toString() {
        return token;
    }
}

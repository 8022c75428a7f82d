package org.pasarela.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies compact JWS login tokens (RFC 7515 §7.1) carrying JWT claims (RFC 7519): the algorithm must be one of
 * those pinned by configuration (never {@code none}, never one the header merely asks for), the signature must
 * verify with the configured key, {@code exp} must be present and in the future, {@code nbf} (if present) in the
 * past, each with {@code leeway}; {@code iss} and {@code aud} are checked when configured; {@code sub} names the
 * user. JCE for the cryptography, Jackson for the JSON. Time is an input. Thread-safe: JCE objects are made per
 * call.
 *
 * <p>ES256 signatures are R || S (RFC 7518 §3.4), which is the JCE's {@code SHA256withECDSAinP1363Format}: no
 * hand-written DER conversion is needed.
 */
public final class JwtVerifier {
    /** Far more than any sensible token; bounds the work a hostile one can cause. */
    public static final int MAX_TOKEN_LENGTH = 8192;
    private static final int MAX_SUBJECT_LENGTH = 256;
    /** RFC 7518 §3.2: the HMAC key must be at least as long as the hash output. */
    public static final int MIN_HMAC_KEY_BYTES = 32;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxNumberLength(32)
                    .maxStringLength(MAX_TOKEN_LENGTH).build())
            // Which duplicate wins differs between libraries; refusing them removes the ambiguity (RFC 7519 §4).
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build());

    /** What the gateway accepts. Keys are checked against the algorithms when built. Immutable. */
    public record Settings(Set<JwtAlgorithm> algorithms, Optional<byte[]> hmacKey, Optional<PublicKey> publicKey,
                           Optional<String> issuer, Optional<String> audience, Duration leeway) {
        public Settings {
            if (algorithms.isEmpty()) {
                throw new IllegalArgumentException("at least one JWS algorithm must be allowed");
            }
            algorithms = Set.copyOf(EnumSet.copyOf(algorithms));
            hmacKey = hmacKey.map(byte[]::clone);
            Objects.requireNonNull(publicKey, "publicKey");
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(audience, "audience");
            if (leeway.isNegative() || leeway.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("leeway must be 0 to 10 minutes, got " + leeway);
            }
            if (algorithms.contains(JwtAlgorithm.HS256)) {
                byte[] key = hmacKey.orElseThrow(() -> new IllegalArgumentException("HS256 needs a shared secret"));
                if (key.length < MIN_HMAC_KEY_BYTES) {
                    throw new IllegalArgumentException("the HS256 secret must be at least " + MIN_HMAC_KEY_BYTES
                            + " bytes (RFC 7518 section 3.2), got " + key.length);
                }
            }
            if (algorithms.contains(JwtAlgorithm.RS256) && !(publicKey.orElse(null) instanceof RSAPublicKey)) {
                throw new IllegalArgumentException("RS256 needs an RSA public key");
            }
            if (algorithms.contains(JwtAlgorithm.ES256) && !(publicKey.orElse(null) instanceof ECPublicKey ec
                    && ec.getParams().getCurve().getField().getFieldSize() == 256)) {
                throw new IllegalArgumentException("ES256 needs an EC P-256 public key");
            }
            if (publicKey.orElse(null) instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) {
                throw new IllegalArgumentException("RS256 keys must have at least 2048 bits (RFC 7518 section 3.3), got "
                        + rsa.getModulus().bitLength());
            }
        }

        @Override
        public Optional<byte[]> hmacKey() {
            return hmacKey.map(byte[]::clone);
        }

        @Override
        public String toString() {
            return "Settings[algorithms=" + algorithms + ", hmacKey=" + (hmacKey.isPresent() ? "***" : "-")
                    + ", publicKey=" + publicKey.map(PublicKey::getAlgorithm).orElse("-") + ", issuer="
                    + issuer.orElse("-") + ", audience=" + audience.orElse("-") + ", leeway=" + leeway + "]";
        }
    }

    private final Settings settings;

    public JwtVerifier(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Checks one token.
     *
     * @throws TokenException whose message says what is wrong (never quoting the token)
     */
    public VerifiedToken verify(String token, Instant now) throws TokenException {
        if (token == null || token.isEmpty()) {
            throw new TokenException("token is empty");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new TokenException("token is longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new TokenException("token is not a compact JWS (header.payload.signature): it has "
                    + parts.length + " part" + (parts.length == 1 ? "" : "s"));
        }
        JsonNode header = json(decode(parts[0], "header"), "header");
        JsonNode algNode = header.get("alg");
        if (algNode == null || !algNode.isTextual()) {
            throw new TokenException("header has no \"alg\" string");
        }
        String alg = algNode.textValue();
        if (alg.equalsIgnoreCase("none")) {
            throw new TokenException("unsigned tokens (alg \"none\") are never accepted");
        }
        JwtAlgorithm algorithm = JwtAlgorithm.named(alg).filter(settings.algorithms()::contains)
                .orElseThrow(() -> new TokenException("algorithm " + quote(alg) + " is not allowed (auth.jwt.algorithms = "
                        + String.join(",", settings.algorithms().stream().map(Enum::name).sorted().toList()) + ")"));
        if (header.has("crit")) {
            // RFC 7515 §4.1.11: extensions listed in crit must be understood; this verifier understands none.
            throw new TokenException("header has \"crit\" extensions, which are not supported");
        }
        byte[] signature = decode(parts[2], "signature");
        byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        if (!signatureVerifies(algorithm, signingInput, signature)) {
            throw new TokenException(algorithm + " signature does not verify");
        }
        JsonNode claims = json(decode(parts[1], "payload"), "payload");
        Instant expires = numericDate(claims, "exp")
                .orElseThrow(() -> new TokenException("claim \"exp\" is missing; tokens must expire"));
        Duration leeway = settings.leeway();
        if (!now.isBefore(expires.plus(leeway))) {
            throw new TokenException("token expired at " + expires);
        }
        Optional<Instant> notBefore = numericDate(claims, "nbf");
        if (notBefore.isPresent() && now.plus(leeway).isBefore(notBefore.get())) {
            throw new TokenException("token is not valid before " + notBefore.get());
        }
        if (settings.issuer().isPresent()) {
            JsonNode iss = claims.get("iss");
            if (iss == null || !iss.isTextual() || !iss.textValue().equals(settings.issuer().get())) {
                throw new TokenException("claim \"iss\" is not " + quote(settings.issuer().get()));
            }
        }
        if (settings.audience().isPresent() && !audienceMatches(claims.get("aud"), settings.audience().get())) {
            throw new TokenException("claim \"aud\" does not include " + quote(settings.audience().get()));
        }
        return new VerifiedToken(subject(claims), expires, algorithm);
    }

    private boolean signatureVerifies(JwtAlgorithm algorithm, byte[] input, byte[] signature) throws TokenException {
        try {
            switch (algorithm) {
                case HS256 -> {
                    Mac mac = Mac.getInstance("HmacSHA256");
                    mac.init(new SecretKeySpec(settings.hmacKey().orElseThrow(), "HmacSHA256"));
                    return MessageDigest.isEqual(mac.doFinal(input), signature);
                }
                case RS256 -> {
                    Signature rsa = Signature.getInstance("SHA256withRSA");
                    rsa.initVerify(settings.publicKey().orElseThrow());
                    rsa.update(input);
                    return rsa.verify(signature);
                }
                case ES256 -> {
                    if (signature.length != 64) {
                        throw new TokenException("ES256 signature must be 64 bytes (R || S), got " + signature.length);
                    }
                    Signature ecdsa = Signature.getInstance("SHA256withECDSAinP1363Format");
                    ecdsa.initVerify(settings.publicKey().orElseThrow());
                    ecdsa.update(input);
                    return ecdsa.verify(signature);
                }
                default -> throw new IllegalStateException("algorithm " + algorithm + " has no verifier");
            }
        } catch (java.security.SignatureException malformed) {
            return false; // e.g. an RSA signature of the wrong length: simply not a valid signature
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JCE cannot verify " + algorithm + ": " + e, e);
        }
    }

    private static byte[] decode(String part, String what) throws TokenException {
        if (part.isEmpty()) {
            throw new TokenException(what + " is empty" + (what.equals("signature")
                    ? " (unsigned tokens are never accepted)" : ""));
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            boolean base64url = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!base64url) {
                throw new TokenException(what + " is not unpadded base64url: character " + (i + 1) + " is "
                        + (c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : "'" + c + "'"));
            }
        }
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new TokenException(what + " is not valid base64url (" + part.length() + " characters)");
        }
    }

    private static JsonNode json(byte[] bytes, String what) throws TokenException {
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new TokenException(what + " is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new TokenException(what + " is not a JSON object");
        }
        return node;
    }

    private static Optional<Instant> numericDate(JsonNode claims, String name) throws TokenException {
        JsonNode node = claims.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isNumber()) {
            throw new TokenException("claim " + quote(name) + " must be a NumericDate (seconds since 1970)");
        }
        double seconds = node.asDouble();
        if (!(seconds >= 0 && seconds < 253402300800d)) { // before year 10000; also rejects NaN
            throw new TokenException("claim " + quote(name) + " is out of range");
        }
        long whole = (long) Math.floor(seconds);
        return Optional.of(Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e9) % 1_000_000_000L));
    }

    private static boolean audienceMatches(JsonNode aud, String expected) {
        if (aud == null) {
            return false;
        }
        if (aud.isTextual()) {
            return aud.textValue().equals(expected);
        }
        if (aud.isArray()) {
            List<String> values = new ArrayList<>();
            aud.forEach(v -> values.add(v.isTextual() ? v.textValue() : null));
            return values.contains(expected);
        }
        return false;
    }

    private static String subject(JsonNode claims) throws TokenException {
        JsonNode sub = claims.get("sub");
        if (sub == null || !sub.isTextual() || sub.textValue().isEmpty()) {
            throw new TokenException("claim \"sub\" (the user name) is missing or not a string");
        }
        String subject = sub.textValue();
        if (subject.length() > MAX_SUBJECT_LENGTH) {
            throw new TokenException("claim \"sub\" is longer than " + MAX_SUBJECT_LENGTH + " characters");
        }
        if (subject.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new TokenException("claim \"sub\" contains control characters");
        }
        return subject;
    }

    private static String quote(String value) {
        String cut = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        StringBuilder out = new StringBuilder("\"");
        cut.chars().forEach(c -> out.append(c < 0x20 || c == 0x7f || c == '"' ? '?' : (char) c));
        return out.append('"').toString();
    }
}

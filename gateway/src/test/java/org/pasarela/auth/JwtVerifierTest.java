package org.pasarela.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class JwtVerifierTest {
    /** RFC 7515 Appendix A.1: the HS256 example, also RFC 7519 §3.1's example JWT. */
    static final String RFC7515_A1_TOKEN = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
            + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
            + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    /** RFC 7515 Appendix A.1: the JWK "k" of the example's HMAC key. */
    static final byte[] RFC7515_A1_KEY = Base64.getUrlDecoder().decode(
            "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
    /** RFC 7519 §6.1: the example Unsecured JWT (alg none) with the same claims. */
    static final String RFC7519_UNSECURED = "eyJhbGciOiJub25lIn0"
            + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.";
    /** exp of the RFC examples: 2011-03-22T18:43:00Z. */
    static final Instant RFC_EXP = Instant.ofEpochSecond(1300819380);

    static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef-pasarela".getBytes(StandardCharsets.UTF_8);

    static JwtVerifier hs256(byte[] key, Optional<String> issuer, Optional<String> audience) {
        return new JwtVerifier(new JwtVerifier.Settings(EnumSet.of(JwtAlgorithm.HS256), Optional.of(key),
                Optional.empty(), issuer, audience, Duration.ofSeconds(30)));
    }

    static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static String hs256Token(String header, String claims, byte[] key) throws Exception {
        String input = b64(header) + "." + b64(claims);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] sig = mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    }

    static String signed(String jcaAlgorithm, String header, String claims, PrivateKey key) throws Exception {
        String input = b64(header) + "." + b64(claims);
        Signature s = Signature.getInstance(jcaAlgorithm);
        s.initSign(key);
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
    }

    static String claims(String sub, Instant exp) {
        return "{\"sub\":\"" + sub + "\",\"exp\":" + exp.getEpochSecond() + "}";
    }

    @Test
    void acceptsTheRfc7515A1ExampleBeforeItsExpiryAndThenWantsASubject() {
        JwtVerifier verifier = hs256(RFC7515_A1_KEY, Optional.of("joe"), Optional.empty());
        // The example has no "sub": everything up to the subject checks out, which proves the signature and exp.
        assertThatThrownBy(() -> verifier.verify(RFC7515_A1_TOKEN, RFC_EXP.minusSeconds(60)))
                .isInstanceOf(TokenException.class).hasMessage("claim \"sub\" (the user name) is missing or not a string");
    }

    @Test
    void refusesTheRfc7515A1ExampleAfterItsExpiryPlusLeeway() {
        JwtVerifier verifier = hs256(RFC7515_A1_KEY, Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> verifier.verify(RFC7515_A1_TOKEN, RFC_EXP.plusSeconds(30)))
                .hasMessage("token expired at 2011-03-22T18:43:00Z");
    }

    @Test
    void refusesTheRfc7515A1ExampleWithAnotherKey() {
        JwtVerifier verifier = hs256(SECRET, Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> verifier.verify(RFC7515_A1_TOKEN, RFC_EXP.minusSeconds(60)))
                .hasMessage("HS256 signature does not verify");
    }

    @Test
    void refusesTheRfc7519UnsecuredExampleEvenThoughItIsWellFormed() {
        JwtVerifier verifier = hs256(RFC7515_A1_KEY, Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> verifier.verify(RFC7519_UNSECURED, RFC_EXP.minusSeconds(60)))
                .hasMessage("unsigned tokens (alg \"none\") are never accepted");
    }

    @Test
    void acceptsAnHs256TokenMadeHereAndReturnsItsSubject() throws Exception {
        String token = hs256Token("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims("alice", NOW.plusSeconds(300)), SECRET);
        VerifiedToken verified = hs256(SECRET, Optional.empty(), Optional.empty()).verify(token, NOW);
        assertThat(verified).isEqualTo(new VerifiedToken("alice", NOW.plusSeconds(300), JwtAlgorithm.HS256));
    }

    @Test
    void refusesAnAlgorithmThatIsNotPinnedEvenWithAValidSignature() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair pair = rsa.generateKeyPair();
        String token = signed("SHA256withRSA", "{\"alg\":\"RS256\"}", claims("alice", NOW.plusSeconds(60)),
                pair.getPrivate());
        assertThatThrownBy(() -> hs256(SECRET, Optional.empty(), Optional.empty()).verify(token, NOW))
                .hasMessage("algorithm \"RS256\" is not allowed (auth.jwt.algorithms = HS256)");
    }

    @Test
    void rsaPublicKeyCannotBeAbusedAsAnHmacSecret() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair pair = rsa.generateKeyPair();
        JwtVerifier verifier = new JwtVerifier(new JwtVerifier.Settings(EnumSet.of(JwtAlgorithm.RS256),
                Optional.empty(), Optional.of(pair.getPublic()), Optional.empty(), Optional.empty(), Duration.ZERO));
        // The classic confusion attack: HMAC-sign with the (public) key bytes and claim HS256.
        String forged = hs256Token("{\"alg\":\"HS256\"}", claims("admin", NOW.plusSeconds(60)),
                pair.getPublic().getEncoded());
        assertThatThrownBy(() -> verifier.verify(forged, NOW)).hasMessageContaining("\"HS256\" is not allowed");
        String real = signed("SHA256withRSA", "{\"alg\":\"RS256\"}", claims("alice", NOW.plusSeconds(60)),
                pair.getPrivate());
        assertThat(verifier.verify(real, NOW).subject()).isEqualTo("alice");
    }

    @Test
    void verifiesEs256TokensWhoseSignatureIsRConcatS() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = ec.generateKeyPair();
        JwtVerifier verifier = new JwtVerifier(new JwtVerifier.Settings(EnumSet.of(JwtAlgorithm.ES256),
                Optional.empty(), Optional.of(pair.getPublic()), Optional.empty(), Optional.empty(), Duration.ZERO));
        String token = signed("SHA256withECDSAinP1363Format", "{\"alg\":\"ES256\"}",
                claims("bob", NOW.plusSeconds(60)), pair.getPrivate());
        assertThat(Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1))).hasSize(64);
        assertThat(verifier.verify(token, NOW).subject()).isEqualTo("bob");
        // A DER-encoded ECDSA signature (what a non-JOSE signer emits) is not a JWS ES256 signature.
        String der = signed("SHA256withECDSA", "{\"alg\":\"ES256\"}", claims("bob", NOW.plusSeconds(60)),
                pair.getPrivate());
        assertThatThrownBy(() -> verifier.verify(der, NOW)).hasMessageStartingWith("ES256 signature must be 64 bytes");
    }

    @Test
    void requiresExp() throws Exception {
        String token = hs256Token("{\"alg\":\"HS256\"}", "{\"sub\":\"alice\"}", SECRET);
        assertThatThrownBy(() -> hs256(SECRET, Optional.empty(), Optional.empty()).verify(token, NOW))
                .hasMessage("claim \"exp\" is missing; tokens must expire");
    }

    @Test
    void allowsTheLeewayPastExpAndNoMore() throws Exception {
        String token = hs256Token("{\"alg\":\"HS256\"}", claims("alice", NOW), SECRET);
        JwtVerifier verifier = hs256(SECRET, Optional.empty(), Optional.empty());
        assertThat(verifier.verify(token, NOW.plusSeconds(29)).subject()).isEqualTo("alice");
        assertThatThrownBy(() -> verifier.verify(token, NOW.plusSeconds(30))).hasMessageStartingWith("token expired");
    }

    @Test
    void refusesTokensBeforeNbf() throws Exception {
        String token = hs256Token("{\"alg\":\"HS256\"}", "{\"sub\":\"a\",\"exp\":" + NOW.plusSeconds(600).getEpochSecond()
                + ",\"nbf\":" + NOW.plusSeconds(120).getEpochSecond() + "}", SECRET);
        JwtVerifier verifier = hs256(SECRET, Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> verifier.verify(token, NOW)).hasMessage("token is not valid before 2025-03-01T10:02:00Z");
        assertThat(verifier.verify(token, NOW.plusSeconds(95)).subject()).isEqualTo("a");
    }

    @Test
    void checksIssuerAndAudienceWhenConfigured() throws Exception {
        long exp = NOW.plusSeconds(60).getEpochSecond();
        JwtVerifier verifier = hs256(SECRET, Optional.of("https://login.example.org"), Optional.of("pasarela"));
        String good = hs256Token("{\"alg\":\"HS256\"}", "{\"sub\":\"a\",\"exp\":" + exp
                + ",\"iss\":\"https://login.example.org\",\"aud\":[\"other\",\"pasarela\"]}", SECRET);
        assertThat(verifier.verify(good, NOW).subject()).isEqualTo("a");
        String wrongIssuer = hs256Token("{\"alg\":\"HS256\"}", "{\"sub\":\"a\",\"exp\":" + exp
                + ",\"iss\":\"https://evil.example\",\"aud\":\"pasarela\"}", SECRET);
        assertThatThrownBy(() -> verifier.verify(wrongIssuer, NOW))
                .hasMessage("claim \"iss\" is not \"https://login.example.org\"");
        String noAudience = hs256Token("{\"alg\":\"HS256\"}", "{\"sub\":\"a\",\"exp\":" + exp
                + ",\"iss\":\"https://login.example.org\"}", SECRET);
        assertThatThrownBy(() -> verifier.verify(noAudience, NOW)).hasMessage("claim \"aud\" does not include \"pasarela\"");
    }

    @Test
    void refusesCritHeadersItDoesNotUnderstand() throws Exception {
        String token = hs256Token("{\"alg\":\"HS256\",\"crit\":[\"b64\"],\"b64\":false}",
                claims("a", NOW.plusSeconds(60)), SECRET);
        assertThatThrownBy(() -> hs256(SECRET, Optional.empty(), Optional.empty()).verify(token, NOW))
                .hasMessage("header has \"crit\" extensions, which are not supported");
    }

    @Test
    void refusesDuplicateClaimsInsteadOfPickingOne() throws Exception {
        String token = hs256Token("{\"alg\":\"HS256\"}", "{\"sub\":\"alice\",\"sub\":\"admin\",\"exp\":"
                + NOW.plusSeconds(60).getEpochSecond() + "}", SECRET);
        assertThatThrownBy(() -> hs256(SECRET, Optional.empty(), Optional.empty()).verify(token, NOW))
                .hasMessage("payload is not valid JSON");
    }

    @Test
    void givesTypedReasonsForMalformedTokens() {
        JwtVerifier verifier = hs256(SECRET, Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> verifier.verify("abc", NOW))
                .hasMessage("token is not a compact JWS (header.payload.signature): it has 1 part");
        assertThatThrownBy(() -> verifier.verify("a.b.c.d.e", NOW)).hasMessageContaining("it has 5 parts");
        assertThatThrownBy(() -> verifier.verify("eyJ=.e30.AAAA", NOW))
                .hasMessage("header is not unpadded base64url: character 4 is '='");
        assertThatThrownBy(() -> verifier.verify(b64("[1]") + ".e30.AAAA", NOW)).hasMessage("header is not a JSON object");
        assertThatThrownBy(() -> verifier.verify(b64("{\"typ\":\"JWT\"}") + ".e30.AAAA", NOW))
                .hasMessage("header has no \"alg\" string");
        assertThatThrownBy(() -> verifier.verify("x".repeat(JwtVerifier.MAX_TOKEN_LENGTH + 1), NOW))
                .hasMessage("token is longer than 8192 characters");
    }

    @Test
    void neverThrowsAnythingButTokenExceptionForRandomInput() {
        JwtVerifier verifier = hs256(SECRET, Optional.empty(), Optional.empty());
        java.util.Random random = new java.util.Random(7515);
        String alphabet = "ABCxyz019-_.={}\"";
        for (int i = 0; i < 2000; i++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(60);
            for (int j = 0; j < length; j++) s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            String candidate = random.nextBoolean() ? s.toString()
                    : b64("{\"alg\":\"HS256\"" + s + "}") + "." + b64(s.toString()) + ".AAAA";
            try {
                verifier.verify(candidate, NOW);
            } catch (TokenException expected) {
                // the only allowed failure
            }
        }
    }

    @Test
    void settingsRefuseWeakOrMismatchedKeys() throws Exception {
        assertThatThrownBy(() -> hs256("short".getBytes(StandardCharsets.UTF_8), Optional.empty(), Optional.empty()))
                .hasMessageContaining("at least 32 bytes");
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        var ecKey = ec.generateKeyPair().getPublic();
        assertThatThrownBy(() -> new JwtVerifier.Settings(Set.of(JwtAlgorithm.RS256), Optional.empty(),
                Optional.of(ecKey), Optional.empty(), Optional.empty(), Duration.ZERO))
                .hasMessage("RS256 needs an RSA public key");
    }
}

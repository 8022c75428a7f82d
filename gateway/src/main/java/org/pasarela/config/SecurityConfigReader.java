package org.pasarela.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pasarela.auth.JwtAlgorithm;
import org.pasarela.auth.JwtVerifier;
import org.pasarela.auth.OriginPolicy;

/**
 * Reads {@link SecurityConfig} from the gateway's properties: {@code users.NAME.password-hash},
 * {@code users.NAME.password}, {@code auth.*} and {@code http.allowed-origins}/{@code http.allow-missing-origin}.
 * Defaults live in {@link GatewayConfigReader#DEFAULTS} with the other gateway keys. Pure.
 */
final class SecurityConfigReader {
    private static final Pattern USER_KEY = Pattern.compile("users\\.(.+)\\.(password|password-hash)");
    /** Modular crypt bcrypt as OpenBSD, PHP and Bouncy Castle write it: $2a$, $2b$ or $2y$, cost 04-31. */
    static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");
    /** RFC 7065 turn:/turns: URIs with an optional transport, RFC 7064 stun:/stuns: URIs; hosts without spaces. */
    static final Pattern TURN_URI = Pattern.compile(
            "(turns?:(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)(:\\d{1,5})?(\\?transport=(udp|tcp))?"
            + "|stuns?:(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)(:\\d{1,5})?)");
    /** An HMAC key shorter than this is guessable offline from one handed-out credential. */
    static final int MIN_TURN_SECRET_BYTES = 16;
    private static final String HASH_HINT = "expected a bcrypt hash such as $2y$12$... (53 characters after the "
            + "cost), as printed by: java -jar pasarela.jar hash-password";

    private SecurityConfigReader() {
    }

    static SecurityConfig read(PropertySet p) {
        Map<String, SecurityConfig.UserSecret> users = users(p);
        int maxFailures = p.integer("auth.max-failures", d("auth.max-failures"), 1, 1000,
                "expected a number of failed logins 1-1000");
        Duration window = p.duration("auth.failure-window", d("auth.failure-window"));
        Duration ban = p.duration("auth.ban-time", d("auth.ban-time"));
        Set<String> algorithms = algorithms(p);
        Optional<String> secret = p.optionalText("auth.jwt.hs256-secret");
        Optional<Path> secretFile = p.optionalPath("auth.jwt.hs256-secret-file");
        Optional<Path> publicKey = p.optionalPath("auth.jwt.public-key");
        if (secret.isPresent() && secretFile.isPresent()) {
            throw p.badSecret("auth.jwt.hs256-secret", "expected either auth.jwt.hs256-secret or "
                    + "auth.jwt.hs256-secret-file, not both");
        }
        boolean hs256 = algorithms.contains("HS256");
        if (hs256 && secret.isEmpty() && secretFile.isEmpty()) {
            throw p.bad("auth.jwt.algorithms", "HS256 needs auth.jwt.hs256-secret or auth.jwt.hs256-secret-file");
        }
        if (!hs256 && (secret.isPresent() || secretFile.isPresent())) {
            String key = secret.isPresent() ? "auth.jwt.hs256-secret" : "auth.jwt.hs256-secret-file";
            throw p.badSecret(key, "a shared secret is only used with HS256 in auth.jwt.algorithms");
        }
        if (secret.isPresent() && secret.get().getBytes(StandardCharsets.UTF_8).length
                < JwtVerifier.MIN_HMAC_KEY_BYTES) {
            throw p.badSecret("auth.jwt.hs256-secret", "expected at least " + JwtVerifier.MIN_HMAC_KEY_BYTES
                    + " bytes (RFC 7518 section 3.2); make one with: openssl rand -base64 32");
        }
        boolean signatures = algorithms.contains("RS256") || algorithms.contains("ES256");
        if (algorithms.contains("RS256") && algorithms.contains("ES256")) {
            throw p.bad("auth.jwt.algorithms", "RS256 and ES256 need different keys; auth.jwt.public-key holds one");
        }
        if (signatures && publicKey.isEmpty()) {
            throw p.bad("auth.jwt.algorithms", "RS256 and ES256 need auth.jwt.public-key (a PEM public key file)");
        }
        if (!signatures && publicKey.isPresent()) {
            throw p.bad("auth.jwt.public-key", "a public key is only used with RS256 or ES256 in auth.jwt.algorithms");
        }
        Optional<String> issuer = p.optionalText("auth.jwt.issuer");
        Optional<String> audience = p.optionalText("auth.jwt.audience");
        Duration leeway = p.duration("auth.jwt.leeway", d("auth.jwt.leeway"));
        if (leeway.compareTo(Duration.ofMinutes(10)) > 0) {
            throw p.bad("auth.jwt.leeway", "expected at most 10m: a leeway is for clock skew, not for validity");
        }
        List<String> origins = origins(p);
        boolean allowMissing = p.bool("http.allow-missing-origin", d("http.allow-missing-origin"));
        return new SecurityConfig(users, maxFailures, window, ban, algorithms, secret, secretFile, publicKey, issuer,
                audience, leeway, origins, allowMissing, turn(p));
    }

    /** {@code turn.*}: URIs as RFC 7064/7065 spell them, a shared secret inline or in a file, a lifetime. */
    private static TurnConfig turn(PropertySet p) {
        List<String> uris = new java.util.ArrayList<>();
        if (p.optionalText("turn.uris").isPresent()) {
            String expected = "expected a comma-separated list of TURN or STUN URIs such as "
                    + "turn:turn.example.org:3478?transport=udp, turns:turn.example.org:5349?transport=tcp "
                    + "(RFC 7065), stun:turn.example.org:3478 (RFC 7064)";
            for (String uri : p.list("turn.uris", "", expected)) {
                if (!TURN_URI.matcher(uri).matches()) {
                    throw p.bad("turn.uris", expected + "; '" + uri + "' is not one");
                }
                uris.add(uri);
            }
        }
        Optional<String> secret = p.optionalText("turn.secret");
        Optional<Path> secretFile = p.optionalPath("turn.secret-file");
        if (secret.isPresent() && secretFile.isPresent()) {
            throw p.badSecret("turn.secret", "expected either turn.secret or turn.secret-file, not both");
        }
        if (uris.isEmpty() && (secret.isPresent() || secretFile.isPresent())) {
            throw p.badSecret(secret.isPresent() ? "turn.secret" : "turn.secret-file",
                    "a TURN secret is only used with turn.uris");
        }
        if (!uris.isEmpty() && secret.isEmpty() && secretFile.isEmpty()) {
            throw p.bad("turn.uris", "TURN URIs need turn.secret or turn.secret-file (coturn's static-auth-secret)");
        }
        if (secret.isPresent() && secret.get().getBytes(StandardCharsets.UTF_8).length < MIN_TURN_SECRET_BYTES) {
            throw p.badSecret("turn.secret", "expected at least " + MIN_TURN_SECRET_BYTES + " bytes; make one with: "
                    + "openssl rand -base64 32");
        }
        Duration ttl = p.duration("turn.ttl", d("turn.ttl"));
        if (ttl.compareTo(Duration.ofMinutes(1)) < 0) {
            throw p.bad("turn.ttl", "expected a lifetime from 1m to 24h (credentials are handed out at login)");
        }
        if (ttl.toMillis() % 1000 != 0) {
            throw p.bad("turn.ttl", "expected whole seconds (the credential's expiry is a unix time in seconds)");
        }
        return new TurnConfig(uris, secret, secretFile, ttl);
    }

    private static String d(String key) {
        return GatewayConfigReader.DEFAULTS.get(key);
    }

    private static Set<String> algorithms(PropertySet p) {
        Set<String> algorithms = new LinkedHashSet<>();
        if (p.optionalText("auth.jwt.algorithms").isEmpty()) {
            return algorithms;
        }
        String expected = "expected a comma-separated list of HS256, RS256, ES256 (empty = no token login)";
        for (String item : p.list("auth.jwt.algorithms", "", expected)) {
            if (item.equalsIgnoreCase("none")) {
                throw p.bad("auth.jwt.algorithms", "unsigned tokens (none) are never accepted; " + expected);
            }
            JwtAlgorithm algorithm = JwtAlgorithm.named(item).orElseThrow(() -> p.bad("auth.jwt.algorithms", expected));
            algorithms.add(algorithm.name());
        }
        return algorithms;
    }

    private static List<String> origins(PropertySet p) {
        if (p.optionalText("http.allowed-origins").isEmpty()) {
            return List.of();
        }
        String expected = "expected a comma-separated list of origins such as https://phone.example.org, or *";
        List<String> origins = new java.util.ArrayList<>();
        for (String item : p.list("http.allowed-origins", "", expected)) {
            try {
                origins.add(OriginPolicy.normalize(item));
            } catch (IllegalArgumentException e) {
                throw p.bad("http.allowed-origins", e.getMessage());
            }
        }
        return origins;
    }

    private static Map<String, SecurityConfig.UserSecret> users(PropertySet p) {
        Map<String, SecurityConfig.UserSecret> users = new LinkedHashMap<>();
        for (String key : p.keys().stream().filter(k -> k.startsWith("users.")).toList()) {
            if (key.endsWith(".sip-password") || key.endsWith(".group")) {
                continue; // a SIP account password or a toll-fraud group, read elsewhere; not a login secret
            }
            Matcher m = USER_KEY.matcher(key);
            if (!m.matches()) {
                throw p.badSecret(key, "unknown key; users are configured as users.NAME.password-hash "
                        + "(or users.NAME.password)");
            }
            String name = m.group(1);
            boolean hashed = m.group(2).equals("password-hash");
            if (!GatewayConfigReader.USER_NAME.matcher(name).matches()) {
                throw p.badSecret(key, "expected a user name matching " + GatewayConfigReader.USER_NAME.pattern()
                        + " in users.NAME." + m.group(2));
            }
            String value = p.text(key, "");
            if (value.isEmpty()) {
                throw new ConfigException(p.entry(key).orElseThrow().where() + " is empty: expected a "
                        + (hashed ? "password hash" : "password"));
            }
            if (hashed && !BCRYPT.matcher(value).matches()) {
                String hint = value.startsWith("$argon2") ? " (Argon2 hashes are not supported)" : "";
                throw p.badSecret(key, HASH_HINT + hint); // it may be a password pasted into the wrong key
            }
            if (users.containsKey(name)) {
                throw p.badSecret(key, "user '" + name + "' has both users." + name + ".password and users." + name
                        + ".password-hash; keep only the hash");
            }
            users.put(name, new SecurityConfig.UserSecret(value, hashed));
        }
        return users;
    }
}

package org.pasarela.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pasarela.auth.Authenticator;
import org.pasarela.auth.JwtAlgorithm;
import org.pasarela.auth.JwtVerifier;
import org.pasarela.auth.LoginLimits;
import org.pasarela.auth.LoginThrottle;
import org.pasarela.auth.OriginPolicy;
import org.pasarela.auth.PasswordVerifier;
import org.pasarela.auth.PlainPassword;
import org.pasarela.auth.PublicKeys;
import org.pasarela.auth.SecurityEvents;
import org.pasarela.auth.TurnCredentials;
import org.pasarela.config.SecurityConfig;
import org.pasarela.config.TurnConfig;
import org.pasarela.hashing.Bcrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the gateway's {@link Authenticator} and {@link OriginPolicy} from {@link SecurityConfig}: reads the key
 * files, turns hashes into verifiers, and warns once per user whose password is kept in the clear. Start-up only.
 */
final class AuthSetup {
    private static final Logger log = LoggerFactory.getLogger(AuthSetup.class);

    private AuthSetup() {}

    static Authenticator authenticator(SecurityConfig config, SecurityEvents events, SecureRandom random) {
        Map<String, PasswordVerifier> users = new LinkedHashMap<>();
        int slowest = 0;
        for (Map.Entry<String, SecurityConfig.UserSecret> user : config.users().entrySet()) {
            SecurityConfig.UserSecret secret = user.getValue();
            if (secret.hashed()) {
                users.put(user.getKey(), Bcrypt.verifier(secret.value()));
                slowest = Math.max(slowest, Bcrypt.cost(secret.value()));
            } else {
                users.put(user.getKey(), new PlainPassword(secret.value()));
            }
        }
        for (String name : config.plainPasswordUsers()) {
            log.warn("user '{}' has a plain-text password (users.{}.password); replace it with "
                    + "users.{}.password-hash = the output of: java -jar pasarela.jar hash-password", name, name, name);
        }
        // Unknown names cost as much as the slowest real check, so timing does not tell which names exist.
        PasswordVerifier unknown = slowest > 0 ? Bcrypt.decoy(slowest, random)
                : new PlainPassword(Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()));
        LoginLimits limits = new LoginLimits(config.maxFailures(), config.failureWindow(), config.banTime());
        return new Authenticator(users, unknown, tokens(config), new LoginThrottle(limits), events);
    }

    /** The TURN credential issuer, when {@code turn.uris} is set; reads {@code turn.secret-file}. */
    static Optional<TurnCredentials> turn(TurnConfig config) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        byte[] secret = config.secretFile().isPresent()
                ? secretFile(config.secretFile().get(), "turn.secret-file")
                : config.secret().orElseThrow().getBytes(StandardCharsets.UTF_8);
        if (secret.length == 0) {
            throw new IllegalStateException("turn.secret-file = '" + config.secretFile().orElseThrow()
                    + "': the file is empty");
        }
        TurnCredentials turn = new TurnCredentials(config.uris(), secret, config.ttl());
        log.info("TURN credentials for logged-in users: {}", turn);
        return Optional.of(turn);
    }

    static OriginPolicy origins(SecurityConfig config) {
        return new OriginPolicy(config.allowedOrigins(), config.allowMissingOrigin());
    }

    private static Optional<JwtVerifier> tokens(SecurityConfig config) {
        if (config.jwtAlgorithms().isEmpty()) {
            return Optional.empty();
        }
        Set<JwtAlgorithm> algorithms = EnumSet.noneOf(JwtAlgorithm.class);
        config.jwtAlgorithms().forEach(name -> algorithms.add(JwtAlgorithm.valueOf(name)));
        Optional<byte[]> secret = config.jwtHs256Secret().map(s -> s.getBytes(StandardCharsets.UTF_8));
        if (config.jwtHs256SecretFile().isPresent()) {
            secret = Optional.of(secretFile(config.jwtHs256SecretFile().get(), "auth.jwt.hs256-secret-file"));
        }
        Optional<PublicKey> key = config.jwtPublicKey().map(AuthSetup::publicKey);
        try {
            JwtVerifier verifier = new JwtVerifier(new JwtVerifier.Settings(algorithms, secret, key,
                    config.jwtIssuer(), config.jwtAudience(), config.jwtLeeway()));
            log.info("token login enabled: {}", verifier.settings());
            return Optional.of(verifier);
        } catch (IllegalArgumentException e) {
            String where = config.jwtPublicKey().map(p -> "auth.jwt.public-key = '" + p + "'")
                    .or(() -> config.jwtHs256SecretFile().map(p -> "auth.jwt.hs256-secret-file = '" + p + "'"))
                    .orElse("auth.jwt.algorithms");
            throw new IllegalStateException(where + ": " + e.getMessage(), e);
        }
    }

    /** The file's bytes without trailing line breaks, which editors and {@code echo} add. */
    private static byte[] secretFile(Path file, String key) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).replaceFirst("[\\r\\n]+$", "");
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(key + " = '" + file + "': cannot read: " + e, e);
        }
    }

    private static PublicKey publicKey(Path file) {
        try {
            return PublicKeys.fromPem(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IllegalStateException("auth.jwt.public-key = '" + file + "': cannot read: " + e, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("auth.jwt.public-key = '" + file + "': " + e.getMessage(), e);
        }
    }
}

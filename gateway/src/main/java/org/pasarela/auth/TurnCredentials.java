package org.pasarela.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues short-lived TURN credentials by the TURN REST API scheme (draft-uberti-behave-turn-rest-00 §2.2), which
 * coturn checks with {@code use-auth-secret} and {@code static-auth-secret}: the user name is
 * {@code EXPIRY:USER} with EXPIRY in unix seconds, the password is base64 of HMAC-SHA1 over that user name, keyed
 * with the secret shared with the TURN server. The TURN server needs no user database and refuses the pair once
 * EXPIRY has passed or when either part was changed.
 *
 * <p>Pure and thread-safe: time is an input; each call makes its own {@link Mac}. {@code toString()} hides the
 * secret.
 */
public final class TurnCredentials {
    private static final String HMAC = "HmacSHA1";

    /** A user name and password for the TURN servers at {@link #uris()}, valid until {@code expires}. */
    public record Issued(String username, String password, Instant expires) {
        @Override
        public String toString() {
            return "Issued[username=" + username + ", password=***, expires=" + expires + "]";
        }
    }

    private final List<String> uris;
    private final SecretKeySpec secret;
    private final Duration ttl;

    /**
     * @param uris   the TURN (and STUN) URIs the credentials are good for, as the browser should use them
     * @param secret coturn's {@code static-auth-secret}, as bytes (UTF-8 of the configured text)
     * @param ttl    how long a credential stays valid; whole seconds
     */
    public TurnCredentials(List<String> uris, byte[] secret, Duration ttl) {
        this.uris = List.copyOf(uris);
        if (this.uris.isEmpty()) {
            throw new IllegalArgumentException("TURN credentials need at least one TURN URI");
        }
        if (Objects.requireNonNull(secret, "secret").length == 0) {
            throw new IllegalArgumentException("the TURN shared secret is empty");
        }
        this.secret = new SecretKeySpec(secret.clone(), HMAC);
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.getSeconds() < 1) {
            throw new IllegalArgumentException("the TURN credential lifetime must be at least 1 s, got " + ttl);
        }
    }

    public List<String> uris() {
        return uris;
    }

    public Duration ttl() {
        return ttl;
    }

    /** Credentials for {@code user}, valid from {@code now} for the configured lifetime (rounded down to seconds). */
    public Issued issue(String user, Instant now) {
        Objects.requireNonNull(user, "user");
        Instant expires = Instant.ofEpochSecond(now.getEpochSecond()).plusSeconds(ttl.getSeconds());
        String username = expires.getEpochSecond() + ":" + user;
        return new Issued(username, password(username), expires);
    }

    /** base64(HMAC-SHA1(secret, username)): what coturn computes to check a REST API user name. */
    public String password(String username) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(secret);
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime provides " + HMAC + ": " + e, e);
        }
    }

    @Override
    public String toString() {
        return "TurnCredentials[uris=" + uris + ", secret=***, ttl=" + ttl + "]";
    }
}

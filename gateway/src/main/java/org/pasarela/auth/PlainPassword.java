package org.pasarela.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A password kept in the clear in the configuration ({@code users.NAME.password}); accepted for compatibility,
 * with a warning at start-up. Compared in constant time so timing does not tell how much of a guess was right.
 */
public final class PlainPassword implements PasswordVerifier {
    private final byte[] expected;

    public PlainPassword(String password) {
        this.expected = Objects.requireNonNull(password, "password").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean matches(String password) {
        return MessageDigest.isEqual(expected, password.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "PlainPassword[***]";
    }
}

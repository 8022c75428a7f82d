package org.pasarela.auth;

/**
 * One user's stored secret, able to tell whether a password matches it: a plain password from the configuration
 * or a slow salted hash (bcrypt, verified at the edge where Bouncy Castle lives). Thread-safe.
 */
@FunctionalInterface
public interface PasswordVerifier {
    boolean matches(String password);
}

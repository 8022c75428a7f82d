package org.pasarela.hashing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.pasarela.auth.PasswordVerifier;

/**
 * bcrypt password hashes in the modular crypt format ({@code $2y$12$<22 salt><31 hash>}), made and checked with
 * Bouncy Castle's {@link OpenBSDBCrypt}, whose check compares in constant time. Chosen over Argon2id because one
 * library call parses, derives and compares (no hand-written PHC parser), operators can also make hashes with
 * common tools ({@code htpasswd -nbBC 12 "" PASSWORD}, Python's bcrypt), and each check needs 4 KiB, not tens of
 * MiB: a burst of logins cannot exhaust the heap of a small gateway box. bcrypt reads at most 72 bytes of a
 * password, so {@link #hash} refuses longer ones rather than silently ignoring the rest.
 */
public final class Bcrypt {
    /**
     * OWASP's minimum for bcrypt. Bouncy Castle 1.79 took about 250 ms per check at cost 10 on the development
     * machine (cost 11: 470 ms, cost 12: 1.1 s): slow for guessers, bearable for a login on a session's lane.
     */
    public static final int DEFAULT_COST = 10;
    public static final int MIN_COST = 4;
    public static final int MAX_COST = 31;
    public static final int MAX_PASSWORD_BYTES = 72;
    private static final Pattern COST = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$.{53}");

    private Bcrypt() {}

    /**
     * A new {@code $2y$} hash with a random 16-byte salt.
     *
     * @throws IllegalArgumentException for an empty password, one over 72 bytes of UTF-8, or a cost outside 4-31
     */
    public static String hash(String password, int cost, SecureRandom random) {
        int bytes = password.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0) {
            throw new IllegalArgumentException("the password is empty");
        }
        if (bytes > MAX_PASSWORD_BYTES) {
            throw new IllegalArgumentException("the password is " + bytes + " bytes of UTF-8; bcrypt uses only the "
                    + "first " + MAX_PASSWORD_BYTES + ", so choose a shorter one");
        }
        if (cost < MIN_COST || cost > MAX_COST) {
            throw new IllegalArgumentException("cost " + cost + " is not in " + MIN_COST + "-" + MAX_COST);
        }
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, cost);
    }

    /** The cost of a hash ({@code 12} in {@code $2y$12$...}). */
    public static int cost(String hash) {
        Matcher m = COST.matcher(hash);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a bcrypt hash ($2a$, $2b$ or $2y$, cost, 53 characters)");
        }
        return Integer.parseInt(m.group(1));
    }

    /** Checks passwords against a stored hash; a malformed hash fails here, at start-up, not at the first login. */
    public static PasswordVerifier verifier(String hash) {
        cost(hash);
        return new PasswordVerifier() {
            @Override
            public boolean matches(String password) {
                // bcrypt has no empty password; check a stand-in (clients cannot send NUL) so timing stays the same.
                boolean empty = password.isEmpty();
                boolean matches = OpenBSDBCrypt.checkPassword(hash, (empty ? "\u0000" : password).toCharArray());
                return matches && !empty;
            }

            @Override
            public String toString() {
                return "bcrypt verifier (cost " + cost(hash) + ")";
            }
        };
    }

    /** A verifier as slow as a real one of {@code cost} that matches no password: for unknown user names. */
    public static PasswordVerifier decoy(int cost, SecureRandom random) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        StringBuilder password = new StringBuilder();
        for (byte b : secret) {
            password.append(String.format("%02x", b));
        }
        PasswordVerifier real = verifier(hash(password.substring(0, 64), cost, random));
        return candidate -> {
            real.matches(candidate); // the work is the point; the answer is always no
            return false;
        };
    }
}

package org.pasarela.config;

import java.util.Objects;

/**
 * How a profile registers each web user with its registrar ({@code register = true}): the SIP user from the
 * {@code register.user} template ({@value SipProfile#USER_PLACEHOLDER} is the web user's name), the domain of the
 * address-of-record and Request-URI ({@code register.domain}), and the expiry to ask for ({@code register.expires},
 * seconds). Immutable.
 */
public record RegistrationSettings(String userTemplate, String domain, int expiresSeconds) {
    public static final int DEFAULT_EXPIRES = 600;
    public static final int MIN_EXPIRES = 5;
    public static final int MAX_EXPIRES = 86400;

    public RegistrationSettings {
        Objects.requireNonNull(userTemplate, "userTemplate");
        Objects.requireNonNull(domain, "domain");
        if (expiresSeconds < MIN_EXPIRES || expiresSeconds > MAX_EXPIRES) {
            throw new IllegalArgumentException("register.expires " + expiresSeconds + " is not " + MIN_EXPIRES + "-"
                    + MAX_EXPIRES);
        }
    }

    /** The SIP user that {@code webUser} registers as. */
    public String userFor(String webUser) {
        return userTemplate.replace(SipProfile.USER_PLACEHOLDER, webUser);
    }
}

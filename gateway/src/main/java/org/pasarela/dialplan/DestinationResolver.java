package org.pasarela.dialplan;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

import org.pasarela.config.SipProfile;
import org.pasarela.config.SipUri;
import org.pasarela.config.SipUriException;

/**
 * Turns the browser's {@code to} (a number, an extension, a user name, or a SIP URI) into the SIP request URI for
 * a profile (RFC 3261 §8.1.1.1). Numbers and names are normalised, rewritten by the profile's rules and sent to
 * {@code user@domain}; SIP URIs pass through unchanged, on profiles with {@code allow.sip-uris = true} only. Pure.
 */
public final class DestinationResolver {
    public static final int MAX_LENGTH = 256;
    private static final Pattern NUMBER_OR_USER = Pattern.compile("[+]?[0-9*#A-Za-z._-]+");

    private DestinationResolver() {
    }

    /** The request URI for {@code to} on {@code profile}; throws {@link DialException} saying why not. */
    public static SipUri resolve(String to, SipProfile profile) {
        if (to == null || to.isBlank()) {
            throw new DialException("the destination is empty");
        }
        if (to.length() > MAX_LENGTH) {
            throw new DialException("the destination is " + to.length() + " characters long; at most " + MAX_LENGTH
                    + " are allowed");
        }
        for (int i = 0; i < to.length(); i++) {
            char c = to.charAt(i);
            if (Character.isISOControl(c)) {
                throw new DialException("the destination contains a control character (U+"
                        + String.format("%04X", (int) c) + ") at position " + (i + 1));
            }
        }
        String trimmed = to.strip();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (lower.startsWith("sip:") || lower.startsWith("sips:")) {
            return resolveSipUri(trimmed, profile);
        }
        String user = NumberRewriter.normalise(trimmed);
        if (user.indexOf(' ') >= 0) {
            throw new DialException("'" + trimmed + "' contains a space; expected a number, a user name or a SIP URI");
        }
        if (!NUMBER_OR_USER.matcher(user).matches()) {
            throw new DialException("'" + trimmed + "' is neither a number, a user name nor a SIP URI");
        }
        String rewritten = new NumberRewriter(profile.rewrites()).rewrite(user);
        if (!NUMBER_OR_USER.matcher(rewritten).matches()) {
            throw new DialException("profile '" + profile.name() + "' rewrote '" + user + "' to '" + rewritten
                    + "', which is not a valid number or user name");
        }
        SipUri proxy = profile.proxy();
        OptionalInt port = profile.domain().equalsIgnoreCase(proxy.host()) ? proxy.port() : OptionalInt.empty();
        return new SipUri(proxy.scheme(), rewritten.replace("#", "%23"), profile.domain(), port, Map.of());
    }

    private static SipUri resolveSipUri(String text, SipProfile profile) {
        if (!profile.allowSipUris()) {
            throw new DialException("profile '" + profile.name() + "' does not allow SIP URIs");
        }
        SipUri uri;
        try {
            uri = SipUri.parse(text);
        } catch (SipUriException e) {
            throw new DialException("not a valid SIP URI: " + e.getMessage());
        }
        if (uri.user() == null) {
            throw new DialException("'" + text + "' has no user part; expected sip:user@host");
        }
        return uri;
    }
}

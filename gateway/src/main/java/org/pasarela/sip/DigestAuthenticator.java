package org.pasarela.sip;

import java.util.Locale;

/**
 * Answers a {@link DigestChallenge} with an {@code Authorization} / {@code Proxy-Authorization} header value
 * (RFC 2617 §3.2.2, RFC 7616 §3.4; RFC 2069 form when the challenge offers no qop). The client nonce and nonce
 * count are inputs so that answers are deterministic; the caller owns their freshness. Stateless and thread-safe.
 */
public final class DigestAuthenticator {

    private DigestAuthenticator() {
    }

    /**
     * @param method     the SIP method of the request being authorized, e.g. {@code INVITE}
     * @param digestUri  the Request-URI of that request, exactly as sent
     * @param cnonce     client nonce; ignored when the challenge offers no qop
     * @param nonceCount how many times this nonce has been used, starting at 1
     * @return the header value, starting with {@code Digest }
     */
    public static String authorization(DigestChallenge c, String method, String digestUri, String username,
                                       String password, String cnonce, int nonceCount) {
        require(method, "method");
        require(digestUri, "digest uri");
        require(username, "username");
        if (password == null) throw new DigestException("password is missing");
        if (c.usesQop()) {
            require(cnonce, "cnonce");
            if (nonceCount < 1) throw new DigestException("nonce count " + nonceCount + " must be at least 1");
        }
        String nc = String.format(Locale.ROOT, "%08x", nonceCount);
        String response = response(c, method, digestUri, username, password, cnonce, nc);

        StringBuilder h = new StringBuilder("Digest ");
        h.append("username=").append(quote(username));
        h.append(", realm=").append(quote(c.realm()));
        h.append(", nonce=").append(quote(c.nonce()));
        h.append(", uri=").append(quote(digestUri));
        h.append(", response=\"").append(response).append('"');
        h.append(", algorithm=").append(c.algorithm());
        if (c.usesQop()) {
            h.append(", cnonce=").append(quote(cnonce));
            h.append(", qop=auth");
            h.append(", nc=").append(nc);
        }
        c.opaque().ifPresent(o -> h.append(", opaque=").append(quote(o)));
        return h.toString();
    }

    /** The request-digest alone (RFC 2617 §3.2.2.1, RFC 7616 §3.4.1), lower-case hex. */
    static String response(DigestChallenge c, String method, String digestUri, String username, String password,
                           String cnonce, String nc) {
        DigestAlgorithm alg = c.algorithm();
        String ha1 = alg.hash(username + ":" + c.realm() + ":" + password);
        if (alg.isSession()) {
            if (cnonce == null || cnonce.isEmpty()) {
                throw new DigestException("algorithm " + alg + " needs a cnonce");
            }
            ha1 = alg.hash(ha1 + ":" + c.nonce() + ":" + cnonce);
        }
        String ha2 = alg.hash(method + ":" + digestUri);
        if (c.usesQop()) {
            return alg.hash(ha1 + ":" + c.nonce() + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        }
        return alg.hash(ha1 + ":" + c.nonce() + ":" + ha2);
    }

    private static void require(String value, String what) {
        if (value == null || value.isEmpty()) throw new DigestException(what + " is missing");
    }

    /** quoted-string with backslash escapes for '"' and '\' (RFC 3261 §25.1). */
    private static String quote(String s) {
        StringBuilder q = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"' || ch == '\\') q.append('\\');
            q.append(ch);
        }
        return q.append('"').toString();
    }
}

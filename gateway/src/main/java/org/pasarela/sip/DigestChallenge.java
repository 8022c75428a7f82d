package org.pasarela.sip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Digest challenge from a {@code WWW-Authenticate} or {@code Proxy-Authenticate} header value
 * (RFC 3261 §22.4, RFC 2617 §3.2.1, RFC 7616 §3.3). Immutable.
 *
 * @param realm      the protection space; required
 * @param nonce      the server nonce; required
 * @param opaque     returned unchanged in the answer when present
 * @param algorithm  MD5 when the challenge names none (RFC 2617 §3.2.1)
 * @param qop        the offered quality-of-protection tokens, lower case, in offered order; empty for an
 *                   RFC 2069-style challenge. When non-empty it contains {@code auth}.
 * @param stale      true when the previous answer was rejected only because its nonce expired
 */
public record DigestChallenge(String realm, String nonce, Optional<String> opaque, DigestAlgorithm algorithm,
                              List<String> qop, boolean stale) {

    public DigestChallenge {
        if (realm == null) throw new DigestException("challenge has no realm");
        if (nonce == null || nonce.isEmpty()) throw new DigestException("challenge has no nonce");
        if (opaque == null || algorithm == null || qop == null) {
            throw new IllegalArgumentException("opaque, algorithm and qop must not be null");
        }
        qop = List.copyOf(qop);
        if (!qop.isEmpty() && !qop.contains("auth")) {
            throw new DigestException("challenge offers only qop \"" + String.join(",", qop)
                    + "\"; only \"auth\" is supported");
        }
    }

    /** Parses a header value such as {@code Digest realm="atlanta.com", nonce="ea9c8e88", qop="auth"}. */
    public static DigestChallenge parse(String headerValue) {
        if (headerValue == null) throw new DigestException("challenge is missing");
        String value = headerValue.strip();
        int space = indexOfWhitespace(value);
        String scheme = space < 0 ? value : value.substring(0, space);
        if (!scheme.equalsIgnoreCase("Digest")) {
            throw new DigestException("not a Digest challenge: \"" + headerValue + "\"");
        }
        Map<String, String> params = space < 0 ? Map.of() : parseParams(value.substring(space + 1), headerValue);

        String algorithmToken = params.get("algorithm");
        DigestAlgorithm algorithm = algorithmToken == null ? DigestAlgorithm.MD5
                : DigestAlgorithm.fromToken(algorithmToken);
        List<String> qop = new ArrayList<>();
        String qopValue = params.get("qop");
        if (qopValue != null) {
            for (String token : qopValue.split(",")) {
                String t = token.strip().toLowerCase(Locale.ROOT);
                if (!t.isEmpty() && !qop.contains(t)) qop.add(t);
            }
            if (qop.isEmpty()) throw new DigestException("challenge has an empty qop");
        }
        return new DigestChallenge(params.get("realm"), params.get("nonce"),
                Optional.ofNullable(params.get("opaque")), algorithm, qop,
                "true".equalsIgnoreCase(params.get("stale")));
    }

    /** True when the answer must carry qop, cnonce and nc (RFC 2617 §3.2.2); false for RFC 2069 mode. */
    public boolean usesQop() {
        return !qop.isEmpty();
    }

    /** auth-param list: {@code name=token / name="quoted, string"} separated by commas (RFC 7235 §2.1). */
    private static Map<String, String> parseParams(String s, String whole) {
        Map<String, String> params = new LinkedHashMap<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            i = skip(s, i, " \t,");
            if (i >= n) break;
            int eq = s.indexOf('=', i);
            if (eq < 0) throw new DigestException("parameter without value in \"" + whole + "\"");
            String name = s.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || indexOfWhitespace(name) >= 0 || name.indexOf(',') >= 0) {
                throw new DigestException("malformed parameter name \"" + name + "\" in \"" + whole + "\"");
            }
            i = skip(s, eq + 1, " \t");
            String value;
            if (i < n && s.charAt(i) == '"') {
                StringBuilder quoted = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = s.charAt(i++);
                    if (c == '\\' && i < n) {
                        quoted.append(s.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        quoted.append(c);
                    }
                }
                if (!closed) throw new DigestException("unterminated quoted value for " + name + " in \"" + whole + "\"");
                value = quoted.toString();
                i = skip(s, i, " \t");
                if (i < n && s.charAt(i) != ',') {
                    throw new DigestException("expected ',' after " + name + " in \"" + whole + "\"");
                }
            } else {
                int end = s.indexOf(',', i);
                if (end < 0) end = n;
                value = s.substring(i, end).strip();
                i = end;
            }
            if (params.putIfAbsent(name, value) != null) {
                throw new DigestException("duplicate parameter " + name + " in \"" + whole + "\"");
            }
        }
        return params;
    }

    private static int skip(String s, int i, String chars) {
        while (i < s.length() && chars.indexOf(s.charAt(i)) >= 0) i++;
        return i;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) return i;
        }
        return -1;
    }
}

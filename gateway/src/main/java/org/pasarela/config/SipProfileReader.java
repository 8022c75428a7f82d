package org.pasarela.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one profile's raw properties into a validated {@link SipProfile}. Pure. The keys are documented in the
 * shipped samples under {@code sip-profiles/}.
 */
final class SipProfileReader {
    static final List<String> KEYS = List.of("name", "enabled", "proxy", "transport", "domain", "auth.username",
            "auth.password", "auth.realm", "from.user", "from.display-name", "codecs", "dtmf", "allow.sip-uris",
            "call.no-answer-timeout", "register", "register.user", "register.domain", "register.expires",
            "rewrite.N.match", "rewrite.N.replace", "inbound.networks", "inbound.did.NUMBER",
            "inbound.rewrite.N.match", "inbound.rewrite.N.replace");
    private static final Pattern REWRITE_KEY = Pattern.compile("rewrite\\.(0|[1-9][0-9]{0,5})\\.(match|replace)");
    private static final Pattern INBOUND_REWRITE_KEY =
            Pattern.compile("inbound\\.rewrite\\.(0|[1-9][0-9]{0,5})\\.(match|replace)");
    private static final String DID_PREFIX = "inbound.did.";
    /** A called number as trunks send it in the request-URI user part: digits, {@code + * #} and a few more. */
    static final Pattern DID = Pattern.compile("[+]?[0-9A-Za-z*#._-]{1,64}");
    private static final String URI_EXAMPLE = "expected a SIP URI such as sip:trunk.example.net or sip:192.0.2.10:5060";

    private SipProfileReader() {
    }

    static SipProfile read(String name, PropertySet p) {
        for (String key : p.keys()) {
            if (key.startsWith("rewrite.") && !REWRITE_KEY.matcher(key).matches()) {
                throw p.bad(key, "unknown key; rules are rewrite.N.match and rewrite.N.replace, N a whole number "
                        + "without leading zeros");
            }
            if (key.startsWith("inbound.rewrite.") && !INBOUND_REWRITE_KEY.matcher(key).matches()) {
                throw p.bad(key, "unknown key; rules are inbound.rewrite.N.match and inbound.rewrite.N.replace, N a "
                        + "whole number without leading zeros");
            }
            if (!KEYS.contains(key) && !key.startsWith("rewrite.") && !key.startsWith("inbound.rewrite.")
                    && !key.startsWith(DID_PREFIX)) {
                throw p.unknownKey(key, KEYS);
            }
        }
        if (p.has("name") && !p.text("name", "").equals(name)) {
            throw p.bad("name", "expected '" + name + "', the profile's file name, or no name key at all");
        }
        boolean enabled = p.bool("enabled", "true");
        if (!p.has("proxy")) {
            throw p.missing("proxy", URI_EXAMPLE);
        }
        SipUri proxy;
        try {
            proxy = SipUri.parse(p.text("proxy", ""));
        } catch (SipUriException e) {
            throw p.bad("proxy", URI_EXAMPLE + " (" + e.getMessage() + ")");
        }
        Transport transport = transport(p, proxy);
        String domain = p.text("domain", proxy.host());
        HostSyntax.uriHostProblem(domain).ifPresent(problem -> {
            throw p.bad("domain", "expected a SIP domain such as example.net (" + problem + ")");
        });
        List<String> codecs = codecs(p);
        DtmfMode dtmf = DtmfMode.parse(p.text("dtmf", "rfc4733"))
                .orElseThrow(() -> p.bad("dtmf", "expected rfc4733, info or none"));
        Optional<Duration> noAnswer = p.has("call.no-answer-timeout")
                ? Optional.of(p.duration("call.no-answer-timeout", ""))
                : Optional.empty();
        return new SipProfile(name, enabled, proxy, transport, domain, credentials(p), fromUser(p),
                displayName(p), codecs, dtmf, rewrites(p, REWRITE_KEY, "rewrite."), p.bool("allow.sip-uris", "false"),
                noAnswer, registration(p, domain), inbound(p));
    }

    private static Transport transport(PropertySet p, SipUri proxy) {
        Transport implied = SipProfile.defaultTransport(proxy);
        if (!p.has("transport")) {
            return implied;
        }
        Transport t = Transport.parse(p.text("transport", "")).orElseThrow(() -> p.bad("transport",
                "expected UDP, TCP or TLS"));
        if (proxy.isSecure() && t != Transport.TLS) {
            throw p.bad("transport", "expected TLS, because the proxy " + proxy + " is a sips: URI");
        }
        if (proxy.param("transport").isPresent() && t != implied) {
            throw p.bad("transport", "expected " + implied + ", as the proxy's ;transport= parameter says");
        }
        return t;
    }

    private static List<String> codecs(PropertySet p) {
        String expected = "expected a comma-separated list of " + String.join(", ", KnownCodecs.ALL);
        Set<String> codecs = new LinkedHashSet<>();
        for (String item : p.list("codecs", String.join(",", SipProfile.DEFAULT_CODECS), expected)) {
            String codec = KnownCodecs.canonical(item).orElseThrow(() -> p.bad("codecs",
                    "unknown codec '" + item + "': " + expected));
            if (!codecs.add(codec)) {
                throw p.bad("codecs", "lists " + codec + " twice");
            }
        }
        if (codecs.stream().allMatch(KnownCodecs.TELEPHONE_EVENT::equals)) {
            throw p.bad("codecs", "expected at least one audio codec besides telephone-event");
        }
        return List.copyOf(codecs);
    }

    private static Optional<Credentials> credentials(PropertySet p) {
        Optional<String> user = p.optionalText("auth.username");
        Optional<String> password = p.optionalText("auth.password");
        Optional<String> realm = p.optionalText("auth.realm");
        if (user.isPresent() && password.isEmpty()) {
            throw p.missing("auth.password", "auth.username is set, so auth.password must be too");
        }
        if (password.isPresent() && user.isEmpty()) {
            throw p.missing("auth.username", "auth.password is set, so auth.username must be too");
        }
        if (realm.isPresent() && user.isEmpty()) {
            throw p.bad("auth.realm", "expected auth.username and auth.password as well");
        }
        if (user.isEmpty()) {
            return Optional.empty();
        }
        if (user.get().chars().anyMatch(c -> c < ' ' || c == 0x7f || c == '"')) {
            throw p.bad("auth.username", "expected a user name without quotes or control characters");
        }
        String withoutPlaceholder = user.get().replace(SipProfile.USER_PLACEHOLDER, "u");
        if (withoutPlaceholder.indexOf('{') >= 0 || withoutPlaceholder.indexOf('}') >= 0) {
            throw p.bad("auth.username", "unknown placeholder; only " + SipProfile.USER_PLACEHOLDER
                    + " is supported");
        }
        if (password.get().chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
            throw p.badSecret("auth.password", "expected a password without control characters");
        }
        return Optional.of(new Credentials(user.get(), password.get(), realm));
    }

    private static Optional<RegistrationSettings> registration(PropertySet p, String profileDomain) {
        // The register.* keys are checked even with register = false, so turning it on cannot reveal old mistakes.
        boolean register = p.bool("register", "false");
        String user = userTemplate(p, "register.user");
        String domain = p.text("register.domain", profileDomain);
        HostSyntax.uriHostProblem(domain).ifPresent(problem -> {
            throw p.bad("register.domain", "expected a SIP domain such as example.net (" + problem + ")");
        });
        int expires = p.integer("register.expires", String.valueOf(RegistrationSettings.DEFAULT_EXPIRES),
                RegistrationSettings.MIN_EXPIRES, RegistrationSettings.MAX_EXPIRES,
                "expected seconds " + RegistrationSettings.MIN_EXPIRES + "-" + RegistrationSettings.MAX_EXPIRES);
        return register ? Optional.of(new RegistrationSettings(user, domain, expires)) : Optional.empty();
    }

    private static String fromUser(PropertySet p) {
        return userTemplate(p, "from.user");
    }

    private static String userTemplate(PropertySet p, String key) {
        String v = p.text(key, SipProfile.USER_PLACEHOLDER);
        if (v.isEmpty()) {
            throw p.bad(key, "expected a SIP user name or " + SipProfile.USER_PLACEHOLDER);
        }
        String withoutPlaceholder = v.replace(SipProfile.USER_PLACEHOLDER, "u");
        if (withoutPlaceholder.indexOf('{') >= 0 || withoutPlaceholder.indexOf('}') >= 0) {
            throw p.bad(key, "unknown placeholder; only " + SipProfile.USER_PLACEHOLDER + " is supported");
        }
        SipUri.userProblem(withoutPlaceholder).ifPresent(problem -> {
            throw p.bad(key, "expected a SIP user name or " + SipProfile.USER_PLACEHOLDER + " (" + problem
                    + ")");
        });
        return v;
    }

    private static Optional<String> displayName(PropertySet p) {
        if (!p.has("from.display-name") || p.text("from.display-name", "").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(p.plainText("from.display-name", "", 128));
    }

    private static InboundSettings inbound(PropertySet p) {
        List<IpNetwork> networks = new ArrayList<>();
        if (!p.text("inbound.networks", "").isEmpty()) {
            String expected = "expected a comma-separated list of IPv4/IPv6 addresses or networks such as "
                    + "192.0.2.10, 198.51.100.0/24, 2001:db8::/32";
            for (String item : p.list("inbound.networks", "", expected)) {
                try {
                    networks.add(IpNetwork.parse(item));
                } catch (IllegalArgumentException e) {
                    throw p.bad("inbound.networks", expected + " (" + e.getMessage() + ")");
                }
            }
        }
        Map<String, DidTarget> dids = new LinkedHashMap<>();
        for (String key : p.keys()) {
            if (!key.startsWith(DID_PREFIX)) {
                continue;
            }
            String number = key.substring(DID_PREFIX.length());
            if (!DID.matcher(number).matches()) {
                throw p.bad(key, "expected inbound.did.NUMBER, NUMBER the called number as the trunk sends it (after "
                        + "inbound.rewrite), made of digits, letters and + * # . _ -; '" + number + "' is not");
            }
            try {
                dids.put(number, DidTarget.parse(p.text(key, "")));
            } catch (IllegalArgumentException e) {
                throw p.bad(key, "expected a user name (alice) or group:NAME (" + e.getMessage() + ")");
            }
        }
        return new InboundSettings(networks, dids, rewrites(p, INBOUND_REWRITE_KEY, "inbound.rewrite."));
    }

    private static List<RewriteRule> rewrites(PropertySet p, Pattern keyPattern, String prefix) {
        TreeMap<Integer, String[]> byIndex = new TreeMap<>();
        for (String key : p.keys()) {
            Matcher m = keyPattern.matcher(key);
            if (m.matches()) {
                String[] pair = byIndex.computeIfAbsent(Integer.parseInt(m.group(1)), n -> new String[2]);
                pair[m.group(2).equals("match") ? 0 : 1] = key;
            }
        }
        List<RewriteRule> rules = new ArrayList<>();
        byIndex.forEach((n, keys) -> {
            if (keys[0] == null) {
                throw p.missing(prefix + n + ".match", prefix + n + ".replace needs a match regex");
            }
            if (keys[1] == null) {
                throw p.missing(prefix + n + ".replace", prefix + n + ".match needs a replacement");
            }
            String regex = p.text(keys[0], "");
            if (regex.isEmpty()) {
                throw p.bad(keys[0], "expected a Java regular expression");
            }
            Pattern pattern;
            try {
                pattern = RewriteRule.compile(regex);
            } catch (IllegalArgumentException e) {
                throw p.bad(keys[0], "expected a Java regular expression (" + e.getMessage() + ")");
            }
            String replace = p.text(keys[1], "");
            if (replace.isEmpty()) {
                throw p.bad(keys[1], "expected a replacement such as +34$1");
            }
            RewriteRule.replacementProblem(pattern, replace).ifPresent(problem -> {
                throw p.bad(keys[1], "expected a replacement for '" + regex + "'; this one " + problem);
            });
            rules.add(new RewriteRule(pattern, replace));
        });
        return rules;
    }
}

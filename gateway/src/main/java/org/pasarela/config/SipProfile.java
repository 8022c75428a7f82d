package org.pasarela.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A SIP destination, read from {@code sip-profiles/NAME.properties} (or the built-in {@code echo} profile). Every
 * component is documented next to its key in the shipped sample profiles. Immutable; validated on construction.
 *
 * <p>With {@code dtmf} {@link DtmfMode#RFC4733}, {@code telephone-event} is appended to {@code codecs} when it is
 * not listed. {@code fromUser} may contain the placeholder {@value #USER_PLACEHOLDER}, replaced by the logged-in
 * user's name (see {@link #fromUserFor}). {@code noAnswerTimeout}, when present, overrides
 * {@code call.no-answer-timeout}.
 */
public record SipProfile(
        String name,
        boolean enabled,
        SipUri proxy,
        Transport transport,
        String domain,
        Optional<Credentials> credentials,
        String fromUser,
        Optional<String> fromDisplayName,
        List<String> codecs,
        DtmfMode dtmf,
        List<RewriteRule> rewrites,
        boolean allowSipUris,
        Optional<Duration> noAnswerTimeout,
        Optional<RegistrationSettings> registration,
        InboundSettings inbound) {

    public static final String USER_PLACEHOLDER = "{user}";
    /** Profile names: usable as a file name stem and inside {@code --set profile.NAME.key}, hence no dots. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    public static final List<String> DEFAULT_CODECS = List.of("PCMU", "PCMA", KnownCodecs.TELEPHONE_EVENT);

    public SipProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(fromUser, "fromUser");
        Objects.requireNonNull(fromDisplayName, "fromDisplayName");
        Objects.requireNonNull(dtmf, "dtmf");
        Objects.requireNonNull(noAnswerTimeout, "noAnswerTimeout");
        Objects.requireNonNull(registration, "registration");
        Objects.requireNonNull(inbound, "inbound");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("profile name '" + name + "' must match " + NAME.pattern());
        }
        if (proxy.isSecure() && transport != Transport.TLS) {
            throw new IllegalArgumentException(name + ": proxy " + proxy + " needs transport TLS, not " + transport);
        }
        HostSyntax.uriHostProblem(domain).ifPresent(p -> {
            throw new IllegalArgumentException(name + ": domain: " + p);
        });
        if (codecs.stream().allMatch(KnownCodecs.TELEPHONE_EVENT::equals)) {
            throw new IllegalArgumentException(name + ": codecs must list at least one audio codec");
        }
        if (dtmf == DtmfMode.RFC4733 && !codecs.contains(KnownCodecs.TELEPHONE_EVENT)) {
            // RFC 4733 DTMF cannot work without it; "codecs = PCMA" means "PCMA for audio".
            codecs = Stream.concat(codecs.stream(), Stream.of(KnownCodecs.TELEPHONE_EVENT)).toList();
        }
        codecs = List.copyOf(codecs);
        rewrites = List.copyOf(rewrites);
        noAnswerTimeout.ifPresent(t -> {
            if (t.isZero() || t.isNegative()) {
                throw new IllegalArgumentException(name + ": noAnswerTimeout must be positive, got " + t);
            }
        });
    }

    /** A builder with every optional field at its documented default; the domain defaults to the proxy host. */
    public static Builder builder(String name, SipUri proxy) {
        return new Builder(name, proxy);
    }

    /** The From user for a call placed by {@code loggedInUser}: {@code fromUser} with {@code {user}} filled in. */
    public String fromUserFor(String loggedInUser) {
        return fromUser.replace(USER_PLACEHOLDER, loggedInUser);
    }

    /**
     * The digest credentials {@code webUser} authenticates with on this profile: the per-user SIP password
     * ({@code users.NAME.sip-password}) when the user has one, else the profile's {@code auth.password}; the user
     * name is {@code auth.username} with {@value #USER_PLACEHOLDER} filled in, or, without {@code auth.username},
     * the registration user. Empty when there is no password to use.
     */
    public Optional<Credentials> credentialsFor(String webUser, Optional<String> sipPassword) {
        Optional<String> realm = credentials.flatMap(Credentials::realm);
        String username = credentials.map(c -> c.username().replace(USER_PLACEHOLDER, webUser))
                .orElseGet(() -> registration.map(r -> r.userFor(webUser)).orElse(webUser));
        if (sipPassword.isPresent()) {
            return Optional.of(new Credentials(username, sipPassword.get(), realm));
        }
        return credentials.map(c -> new Credentials(username, c.password(), realm));
    }

    /** This profile as {@code webUser} uses it for calls: credentials resolved by {@link #credentialsFor}. */
    public SipProfile forUser(String webUser, Optional<String> sipPassword) {
        Optional<Credentials> resolved = credentialsFor(webUser, sipPassword);
        if (resolved.equals(credentials)) {
            return this;
        }
        return new SipProfile(name, enabled, proxy, transport, domain, resolved, fromUser, fromDisplayName, codecs,
                dtmf, rewrites, allowSipUris, noAnswerTimeout, registration, inbound);
    }

    public Builder toBuilder() {
        Builder b = new Builder(name, proxy);
        b.enabled = enabled;
        b.transport = transport;
        b.domain = domain;
        b.credentials = credentials;
        b.fromUser = fromUser;
        b.fromDisplayName = fromDisplayName;
        b.codecs = codecs;
        b.dtmf = dtmf;
        b.rewrites = rewrites;
        b.allowSipUris = allowSipUris;
        b.noAnswerTimeout = noAnswerTimeout;
        b.registration = registration;
        b.inbound = inbound;
        return b;
    }

    /** Builds a {@link SipProfile}; for tests and the built-in echo profile. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final SipUri proxy;
        private boolean enabled = true;
        private Transport transport;
        private String domain;
        private Optional<Credentials> credentials = Optional.empty();
        private String fromUser = USER_PLACEHOLDER;
        private Optional<String> fromDisplayName = Optional.empty();
        private List<String> codecs = DEFAULT_CODECS;
        private DtmfMode dtmf = DtmfMode.RFC4733;
        private List<RewriteRule> rewrites = List.of();
        private boolean allowSipUris;
        private Optional<Duration> noAnswerTimeout = Optional.empty();
        private Optional<RegistrationSettings> registration = Optional.empty();
        private InboundSettings inbound = InboundSettings.NONE;

        private Builder(String name, SipUri proxy) {
            this.name = name;
            this.proxy = Objects.requireNonNull(proxy, "proxy");
        }

        public Builder enabled(boolean value) {
            enabled = value;
            return this;
        }

        public Builder transport(Transport value) {
            transport = value;
            return this;
        }

        public Builder domain(String value) {
            domain = value;
            return this;
        }

        public Builder credentials(Credentials value) {
            credentials = Optional.of(value);
            return this;
        }

        public Builder fromUser(String value) {
            fromUser = value;
            return this;
        }

        public Builder fromDisplayName(String value) {
            fromDisplayName = Optional.of(value);
            return this;
        }

        public Builder codecs(List<String> value) {
            codecs = value;
            return this;
        }

        public Builder dtmf(DtmfMode value) {
            dtmf = value;
            return this;
        }

        public Builder rewrites(List<RewriteRule> value) {
            rewrites = value;
            return this;
        }

        public Builder allowSipUris(boolean value) {
            allowSipUris = value;
            return this;
        }

        public Builder noAnswerTimeout(Duration value) {
            noAnswerTimeout = Optional.of(value);
            return this;
        }

        public Builder registration(RegistrationSettings value) {
            registration = Optional.of(value);
            return this;
        }

        public Builder inbound(InboundSettings value) {
            inbound = value;
            return this;
        }

        public SipProfile build() {
            Transport t = transport != null ? transport : defaultTransport(proxy);
            return new SipProfile(name, enabled, proxy, t, domain != null ? domain : proxy.host(), credentials,
                    fromUser, fromDisplayName, codecs, dtmf, rewrites, allowSipUris, noAnswerTimeout, registration,
                    inbound);
        }
    }

    /** TLS for {@code sips:}, else the proxy's {@code ;transport=} parameter, else UDP (RFC 3263 §4.1 default). */
    static Transport defaultTransport(SipUri proxy) {
        if (proxy.isSecure()) {
            return Transport.TLS;
        }
        return proxy.param("transport").flatMap(Transport::parse).orElse(Transport.UDP);
    }
}

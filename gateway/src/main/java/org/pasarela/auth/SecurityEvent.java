package org.pasarela.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * One security-relevant fact about a browser connection: a login that failed or succeeded, a ban, a refused request,
 * call or WebSocket handshake. {@link #toLogLine()} is one stable line in the key="value" style of Asterisk's security
 * log ({@code SecurityEvent="InvalidPassword",...,RemoteAddress="IPV4/WS/192.0.2.7/50312"}), so that one fail2ban
 * regex with {@code <HOST>} matches it (docs/security.md). Never carries a password or token. Immutable.
 *
 * <p>{@code channel} is what the source spoke to us over: the WebSocket for browser events, or UDP/TCP/TLS for
 * SIP-side events, written as the second part of RemoteAddress as Asterisk does ({@code IPV4/UDP/ip/port}).
 */
public record SecurityEvent(Type type, Instant time, String account, String session, RemoteAddress remote,
                            String reason, Channel channel) {
    /** Field order and names of {@link #toLogLine()}; bump when either changes. */
    public static final int EVENT_VERSION = 1;
    static final int MAX_VALUE_LENGTH = 128;

    /** The event names; Asterisk's spelling where Asterisk has the same event. */
    public enum Type {
        /** A login succeeded. */
        SuccessfulAuth("Informational"),
        /** A password login named a user that does not exist. */
        InvalidAccountID("Error"),
        /** A password login named an existing user with a wrong password. */
        InvalidPassword("Error"),
        /** A token login whose token was refused (signature, algorithm, expiry, issuer, audience, subject). */
        InvalidToken("Error"),
        /** Too many failures: a user name or an address is banned from logging in for a while. */
        LoginBanned("Warning"),
        /** A login refused without checking credentials because its user name or address is banned. */
        LoginRateLimited("Warning"),
        /** A request that needs a login arrived before one succeeded. */
        RequestNotAllowed("Error"),
        /** A WebSocket handshake from an Origin that is not allowed (http.allowed-origins). */
        FailedACL("Error"),
        /** A logged-in user's call refused by the toll-fraud guard (profile, number rules or call limits). */
        CallRefused("Error"),
        /** A connection refused at once: too many open from its address (http.max-connections-per-address). */
        SessionLimit("Warning"),
        /** A connection refused at once: the gateway has as many as it takes (http.max-connections). */
        GatewayBusy("Warning"),
        /** A WebSocket closed because it did not log in within auth.login-timeout. */
        LoginTimeout("Error"),
        /** A source sent out-of-dialog SIP requests faster than sip.max-requests-per-second-per-address and is
         *  ignored (no response at all) for sip.scanner-ban-time: a scanner's sweep (svwar, svcrack, ...). */
        SipFlood("Warning"),
        /** A SIP INVITE from an address outside every profile's trusted sources, refused 403 (no open relay). */
        InboundRefused("Error");

        private final String severity;

        Type(String severity) {
            this.severity = severity;
        }

        public String severity() {
            return severity;
        }
    }

    /** Where the source's request came in: the browser's WebSocket or a SIP transport. */
    public enum Channel { WS, UDP, TCP, TLS }

    /** A browser-side event: the source spoke over the WebSocket. */
    public SecurityEvent(Type type, Instant time, String account, String session, RemoteAddress remote,
                         String reason) {
        this(type, time, account, session, remote, reason, Channel.WS);
    }

    public SecurityEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(remote, "remote");
        account = account == null ? "" : account;
        session = session == null ? "" : session;
        reason = reason == null ? "" : reason;
    }

    /**
     * {@code SecurityEvent="T",EventTV="ISO-8601",Severity="S",Service="Pasarela",EventVersion="1",AccountID="A",
     * SessionID="S",RemoteAddress="IPV4/WS/IP/PORT",Reason="R"} on one line (UDP, TCP or TLS instead of WS for
     * SIP-side events). Values that come from clients are
     * percent-encoded ({@code "} {@code \} {@code %} and control characters) and cut to 128 characters, so no
     * value can end its quotes early or forge a second RemoteAddress.
     */
    public String toLogLine() {
        StringBuilder line = new StringBuilder(256);
        field(line, "SecurityEvent", type.name());
        field(line, "EventTV", time.toString());
        field(line, "Severity", type.severity());
        field(line, "Service", "Pasarela");
        field(line, "EventVersion", Integer.toString(EVENT_VERSION));
        field(line, "AccountID", account);
        field(line, "SessionID", session);
        field(line, "RemoteAddress", remote.family() + "/" + channel + "/" + remote.ip() + "/" + remote.port());
        field(line, "Reason", reason);
        return line.toString();
    }

    private static void field(StringBuilder line, String key, String value) {
        if (!line.isEmpty()) {
            line.append(',');
        }
        line.append(key).append("=\"");
        int end = Math.min(value.length(), MAX_VALUE_LENGTH);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == '%' || c < 0x20 || c == 0x7f) {
                line.append('%').append(String.format("%02X", (int) c));
            } else if (Character.isSurrogate(c)) {
                line.append('?'); // logs stay valid text whatever the client sent
            } else {
                line.append(c);
            }
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            line.append("...");
        }
        line.append('"');
    }

    @Override
    public String toString() {
        return toLogLine();
    }
}

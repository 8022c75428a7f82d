package org.pasarela.transport.sip;

import gov.nist.javax.sip.message.SIPRequest;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.pasarela.auth.RemoteAddress;
import org.pasarela.auth.SecurityEvent;
import org.pasarela.auth.SecurityEvents;
import org.pasarela.flood.FloodGuard;

/**
 * Puts out-of-dialog SIP requests through the {@link FloodGuard} by the packet's real source address (not the
 * Via's claim), so that a scanner sweeping extensions or passwords is ignored after its first burst: no response
 * at all, which is what makes svwar and svcrack give up. Each ban is reported once as a {@code SipFlood} security
 * event. ACKs are not counted (the gateway never answers them), and {@code trusted} sources (the profiles' proxies)
 * are never limited: UDP source addresses can be forged, and a forged flood must not cut off a trunk. Thread-safe;
 * never blocks.
 */
public final class SipFloodGate {
    private final FloodGuard guard;
    private final SecurityEvents events;
    private final Clock clock;
    private final Predicate<String> trusted;

    public SipFloodGate(FloodGuard guard, SecurityEvents events, Clock clock, Predicate<String> trusted) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.trusted = Objects.requireNonNull(trusted, "trusted");
    }

    /** Whether to handle this request, which belongs to no call or registration of ours. */
    boolean admits(Request request) {
        if (Request.ACK.equals(request.getMethod()) || !(request instanceof SIPRequest nist)
                || nist.getPeerPacketSourceAddress() == null) {
            return true;
        }
        InetAddress address = nist.getPeerPacketSourceAddress();
        String source = address.getHostAddress();
        int scope = source.indexOf('%');
        if (scope >= 0) {
            source = source.substring(0, scope);
        }
        if (trusted.test(source)) {
            return true;
        }
        FloodGuard.Verdict verdict = guard.admit(source, clock.instant());
        if (verdict == FloodGuard.Verdict.BANNED) {
            report(request, nist, source);
        }
        return verdict.admitted();
    }

    private void report(Request request, SIPRequest nist, String source) {
        try {
            Duration ban = guard.limits().banTime();
            events.report(new SecurityEvent(SecurityEvent.Type.SipFlood, clock.instant(), null, null,
                    new RemoteAddress(source, Math.max(0, nist.getPeerPacketSourcePort())),
                    "more than " + guard.limits().maxPerSecond() + " SIP requests per second outside any call; "
                            + "ignored for " + ban.toSeconds() + " s; last " + request.getMethod() + " "
                            + request.getRequestURI(), channel(request)));
        } catch (RuntimeException e) {
            // The ban holds whatever happens to its report; nothing may escape into the SIP listener.
            org.slf4j.LoggerFactory.getLogger(SipFloodGate.class).warn("cannot report the SIP flood from {}: {}",
                    source, e.toString());
        }
    }

    private static SecurityEvent.Channel channel(Request request) {
        Object via = request.getHeader(ViaHeader.NAME);
        if (via instanceof ViaHeader header && header.getTransport() != null) {
            return switch (header.getTransport().toUpperCase(java.util.Locale.ROOT)) {
                case "TCP" -> SecurityEvent.Channel.TCP;
                case "TLS" -> SecurityEvent.Channel.TLS;
                default -> SecurityEvent.Channel.UDP;
            };
        }
        return SecurityEvent.Channel.UDP;
    }
}

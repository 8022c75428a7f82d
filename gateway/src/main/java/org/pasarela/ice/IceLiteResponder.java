package org.pasarela.ice;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.pasarela.ice.IceCheckResult.Ignored;
import org.pasarela.ice.IceCheckResult.Outcome;
import org.pasarela.ice.IceCheckResult.Reply;
import org.pasarela.stun.StunError;
import org.pasarela.stun.StunException;
import org.pasarela.stun.StunIntegrity;
import org.pasarela.stun.StunMessage;
import org.pasarela.stun.StunParser;
import org.pasarela.stun.StunWriter;
import org.pasarela.stun.TransportAddress;

/**
 * The gateway's ICE-lite agent for one call's browser-side component (RFC 8445 §2.5): it never sends checks, it
 * answers the browser's, learns which remote addresses are validated, and follows the browser's nomination.
 *
 * <p>Rules, in the order a Binding request meets them:
 * <ol>
 * <li>Bytes that are not a valid STUN message, a bad FINGERPRINT included, are dropped (RFC 8489 §6.3, §7.3).
 *     So are indications (RFC 8445 §11 keepalives) and responses: a lite agent sends no requests.
 * <li>No USERNAME or no MESSAGE-INTEGRITY: 400 (RFC 8489 §9.1.3).
 * <li>USERNAME other than {@code localUfrag:remoteUfrag} (RFC 8445 §7.2.2), or MESSAGE-INTEGRITY that fails with
 *     the local password: 401 without MESSAGE-INTEGRITY (RFC 8489 §9.1.3 says MUST reject with 401). We answer
 *     rather than drop: the response (about 52 bytes) is smaller than the request, so it amplifies nothing, and it
 *     tells a browser with stale credentials why it fails. Neither changes any state.
 * <li>An unknown comprehension-required attribute: 420 listing it (RFC 8489 §6.3.1.1), with MESSAGE-INTEGRITY.
 * <li>ICE-CONTROLLED: the peer also thinks it is controlled. A lite agent is always controlled and cannot switch
 *     (RFC 8445 §6.1.1), so of the two outcomes of §7.3.1.1 only 487 Role Conflict is open to it; the full agent
 *     then switches to controlling (§7.2.5.1).
 * <li>Otherwise success with XOR-MAPPED-ADDRESS (RFC 8445 §7.3.1.2): the source becomes validated. If the request
 *     carries USE-CANDIDATE from the controlling peer, the source becomes the selected address (§7.3.1.5, §8.2):
 *     the latest nomination wins, so a browser that moves the call to another network path (its own
 *     re-nomination) is followed, but only with an authenticated check from that path.
 * </ol>
 * Consent (RFC 7675) is refreshed by accepted checks from the selected address, or from any address before one is
 * selected.
 *
 * <p>Not thread-safe: owned by the call's lane. The per-packet relay should read a published snapshot of
 * {@link #selected()} and the validated set rather than call in from the event loop.
 */
public final class IceLiteResponder {
    /** Checks from more paths than this evict the oldest non-selected one; a browser has a handful of candidates. */
    static final int MAX_VALIDATED = 8;
    /**
     * Largest response {@link #handle} writes: a 420 (header, ERROR-CODE with its 17-byte reason, UNKNOWN-ATTRIBUTES
     * listing the parser's cap of 16 types, MESSAGE-INTEGRITY, FINGERPRINT).
     */
    public static final int MAX_RESPONSE_LENGTH = 20 + 28 + 36 + 24 + 8;

    private final byte[] expectedUsername;
    private final StunIntegrity integrity;
    private final StunWriter writer = new StunWriter();
    private final ConsentMonitor consent;
    private final List<TransportAddress> validated = new ArrayList<>(MAX_VALIDATED);
    private TransportAddress selected;

    public IceLiteResponder(String localUfrag, String localPwd, String remoteUfrag, Duration consentTimeout,
            long startNanos) {
        if (localUfrag == null || localUfrag.isEmpty() || remoteUfrag == null || remoteUfrag.isEmpty()) {
            throw new IllegalArgumentException("ICE ufrags must not be empty (local '" + localUfrag + "', remote '"
                    + remoteUfrag + "')");
        }
        this.expectedUsername = (localUfrag + ":" + remoteUfrag).getBytes(StandardCharsets.UTF_8);
        this.integrity = StunIntegrity.forPassword(localPwd);
        this.consent = new ConsentMonitor(consentTimeout, startNanos);
    }

    /**
     * Handles one datagram the demultiplexer classified as STUN (RFC 7983), writing any response into
     * {@code out} at {@code outOffset} (at least {@link #MAX_RESPONSE_LENGTH} bytes must fit).
     */
    public IceCheckResult handle(byte[] in, int offset, int length, TransportAddress from, long nowNanos,
            byte[] out, int outOffset) {
        StunMessage request;
        try {
            request = StunParser.parse(in, offset, length);
        } catch (StunException e) {
            return new Ignored("not a valid STUN message from " + from + ": " + e.getMessage());
        }
        if (!request.isBindingRequest()) {
            return new Ignored("STUN " + request.messageClass() + " of method 0x" + Integer.toHexString(
                    request.method()) + " from " + from + ": an ICE-lite agent only answers Binding requests");
        }
        if (!request.hasUsername() || !request.hasMessageIntegrity()) {
            return error(request, from, out, outOffset, StunError.BAD_REQUEST, null, Outcome.BAD_REQUEST);
        }
        if (!request.usernameEquals(expectedUsername) || !integrity.verify(request)) {
            return error(request, from, out, outOffset, StunError.UNAUTHENTICATED, null, Outcome.UNAUTHENTICATED);
        }
        if (request.hasUnknownComprehensionRequired()) {
            return error(request, from, out, outOffset, StunError.UNKNOWN_ATTRIBUTE, integrity,
                    Outcome.UNKNOWN_ATTRIBUTE);
        }
        if (request.hasIceControlled()) {
            return error(request, from, out, outOffset, StunError.ROLE_CONFLICT, integrity, Outcome.ROLE_CONFLICT);
        }
        int n = writer.bindingSuccess(out, outOffset, request, from, integrity);
        validate(from);
        Outcome outcome = Outcome.ACCEPTED;
        if (request.useCandidate() && request.hasIceControlling()) {
            selected = from;
            outcome = Outcome.NOMINATED;
        }
        if (selected == null || selected.equals(from)) {
            consent.refreshed(nowNanos);
        }
        return new Reply(from, n, outcome);
    }

    /** Strict source rule: media (DTLS, SRTP) is accepted only from addresses that passed a check. */
    public boolean isAllowed(TransportAddress source) {
        return validated.contains(source);
    }

    /** As {@link #isAllowed(TransportAddress)}, without building an address. */
    public boolean isAllowed(byte[] ip, int port) {
        for (TransportAddress a : validated) {
            if (a.matches(ip, port)) {
                return true;
            }
        }
        return false;
    }

    /** Where media goes: the address the browser last nominated. */
    public Optional<TransportAddress> selected() {
        return Optional.ofNullable(selected);
    }

    public List<TransportAddress> validated() {
        return List.copyOf(validated);
    }

    public boolean consentExpired(long nowNanos) {
        return consent.expired(nowNanos);
    }

    public Duration consentRemaining(long nowNanos) {
        return consent.remaining(nowNanos);
    }

    private void validate(TransportAddress from) {
        if (validated.contains(from)) {
            return;
        }
        if (validated.size() == MAX_VALIDATED) {
            for (int i = 0; i < validated.size(); i++) {
                if (!validated.get(i).equals(selected)) {
                    validated.remove(i);
                    break;
                }
            }
        }
        validated.add(from);
    }

    private IceCheckResult error(StunMessage request, TransportAddress from, byte[] out, int outOffset,
            StunError error, StunIntegrity key, Outcome outcome) {
        return new Reply(from, writer.bindingError(out, outOffset, request, error, key), outcome);
    }
}

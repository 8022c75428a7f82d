package org.pasarela.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pasarela.ice.ScriptedBrowser.check;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.pasarela.ice.IceCheckResult.Outcome;
import org.pasarela.ice.IceCheckResult.Reply;
import org.pasarela.stun.StunIntegrity;
import org.pasarela.stun.StunMessage;
import org.pasarela.stun.StunParser;
import org.pasarela.stun.TransportAddress;

/**
 * One call seen from the gateway's ICE-lite side, in virtual time: a scripted browser checks two candidate paths,
 * nominates one, keeps consent fresh, meets an attacker who knows the address but not the password, and then
 * falls silent until consent expires.
 */
class BrowserCallWalkTest {
    private static final long S = 1_000_000_000L;
    private static final TransportAddress HOST = IceLiteResponderTest.HOST;
    private static final TransportAddress SRFLX = IceLiteResponderTest.SRFLX;
    private static final TransportAddress ATTACKER = new TransportAddress(new byte[] {(byte) 198, 51, 100, 66}, 4444);

    private final IceLiteResponder gateway = new IceLiteResponder(ScriptedBrowser.GATEWAY_UFRAG,
            ScriptedBrowser.GATEWAY_PWD, ScriptedBrowser.BROWSER_UFRAG, Duration.ofSeconds(30), 0);
    private final ScriptedBrowser browser = new ScriptedBrowser();
    private final StunIntegrity browserCheckingResponses = StunIntegrity.forPassword(ScriptedBrowser.GATEWAY_PWD);
    private final byte[] out = new byte[IceLiteResponder.MAX_RESPONSE_LENGTH];

    private Outcome deliver(ScriptedBrowser.Check c, TransportAddress from, long now) {
        byte[] request = browser.request(c);
        IceCheckResult result = gateway.handle(request, 0, request.length, from, now, out, 0);
        if (!(result instanceof Reply reply)) {
            return null;
        }
        assertThat(reply.to()).isEqualTo(from);
        StunMessage response = StunParser.parse(out, 0, reply.length());
        assertThat(response.transactionIdEquals(StunParser.parse(request, 0, request.length).transactionId()))
                .isTrue();
        if (reply.outcome() == Outcome.ACCEPTED || reply.outcome() == Outcome.NOMINATED) {
            // what the browser checks before it believes the pair works (RFC 8445 §7.2.5.2)
            assertThat(browserCheckingResponses.verify(response)).isTrue();
            assertThat(response.xorMappedAddress()).isEqualTo(from);
        }
        return reply.outcome();
    }

    @Test
    void walksACallFromFirstCheckToConsentExpiry() {
        // t=0.1 s: the browser checks both of its paths; nothing is selected yet, nothing may carry media yet.
        assertThat(gateway.isAllowed(HOST)).isFalse();
        assertThat(deliver(check(), HOST, S / 10)).isEqualTo(Outcome.ACCEPTED);
        assertThat(deliver(check(), SRFLX, S / 5)).isEqualTo(Outcome.ACCEPTED);
        assertThat(gateway.isAllowed(HOST)).isTrue();
        assertThat(gateway.isAllowed(SRFLX)).isTrue();
        assertThat(gateway.selected()).isEmpty();

        // t=0.3 s: Chromium nominates its best pair, the host path.
        assertThat(deliver(check().nominate(), HOST, 3 * S / 10)).isEqualTo(Outcome.NOMINATED);
        assertThat(gateway.selected()).contains(HOST);

        // t=5..25 s: consent checks every 5 s on the selected path keep the call alive.
        for (long t = 5; t <= 25; t += 5) {
            assertThat(deliver(check(), HOST, t * S)).isEqualTo(Outcome.ACCEPTED);
            assertThat(gateway.consentExpired(t * S)).isFalse();
        }

        // t=26 s: someone who saw the 5-tuple but lacks the password tries to steal the media.
        assertThat(deliver(check().password("GuessedPassword12345678").nominate(), ATTACKER, 26 * S))
                .isEqualTo(Outcome.UNAUTHENTICATED);
        assertThat(deliver(check().username("gwufrag:attacker").nominate(), ATTACKER, 26 * S))
                .isEqualTo(Outcome.UNAUTHENTICATED);
        byte[] truncated = browser.request(check().nominate());
        assertThat(gateway.handle(truncated, 0, truncated.length - 4, ATTACKER, 26 * S, out, 0))
                .isInstanceOf(IceCheckResult.Ignored.class);
        assertThat(gateway.selected()).contains(HOST);
        assertThat(gateway.isAllowed(ATTACKER)).isFalse();

        // t=27 s: an unvalidated address that sends a correct check without nominating is validated, not selected.
        TransportAddress relay = new TransportAddress(new byte[] {(byte) 203, 0, 113, (byte) 200}, 3478);
        assertThat(deliver(check(), relay, 27 * S)).isEqualTo(Outcome.ACCEPTED);
        assertThat(gateway.selected()).contains(HOST);

        // Checks from a non-selected path do not refresh consent for the selected one.
        assertThat(deliver(check(), SRFLX, 40 * S)).isEqualTo(Outcome.ACCEPTED);
        assertThat(gateway.consentExpired(55 * S - 1)).isFalse();
        assertThat(gateway.consentRemaining(50 * S)).isEqualTo(Duration.ofSeconds(5));

        // The browser falls silent after its t=25 s check: consent expires 30 s later and the adapter BYEs.
        assertThat(gateway.consentExpired(55 * S)).isTrue();
    }

    @Test
    void followsAnAuthenticatedRenominationToAnotherPath() {
        deliver(check().nominate(), HOST, S);
        assertThat(deliver(check().nominate(), SRFLX, 10 * S)).isEqualTo(Outcome.NOMINATED);
        assertThat(gateway.selected()).contains(SRFLX);
        assertThat(gateway.isAllowed(HOST)).isTrue();
    }

    @Test
    void expiresWhenTheBrowserNeverSendsAValidCheck() {
        deliver(check().password("WrongPasswordWrongPassword"), HOST, S);
        assertThat(gateway.consentExpired(29 * S)).isFalse();
        assertThat(gateway.consentExpired(30 * S)).isTrue();
        assertThat(gateway.validated()).isEmpty();
    }
}

package org.pasarela.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pasarela.ice.ScriptedBrowser.check;

import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.pasarela.ice.IceCheckResult.Ignored;
import org.pasarela.ice.IceCheckResult.Outcome;
import org.pasarela.ice.IceCheckResult.Reply;
import org.pasarela.stun.StunIntegrity;
import org.pasarela.stun.StunMessage;
import org.pasarela.stun.StunParser;
import org.pasarela.stun.TransportAddress;

/** One test per rule of {@link IceLiteResponder}. */
class IceLiteResponderTest {
    static final TransportAddress HOST = new TransportAddress(new byte[] {(byte) 192, (byte) 168, 1, 20}, 50000);
    static final TransportAddress SRFLX = new TransportAddress(new byte[] {(byte) 203, 0, 113, 9}, 61000);
    private static final StunIntegrity GATEWAY_KEY = StunIntegrity.forPassword(ScriptedBrowser.GATEWAY_PWD);

    private final IceLiteResponder responder = new IceLiteResponder(ScriptedBrowser.GATEWAY_UFRAG,
            ScriptedBrowser.GATEWAY_PWD, ScriptedBrowser.BROWSER_UFRAG, Duration.ofSeconds(30), 0);
    private final ScriptedBrowser browser = new ScriptedBrowser();
    private final byte[] out = new byte[IceLiteResponder.MAX_RESPONSE_LENGTH];

    private IceCheckResult send(ScriptedBrowser.Check c, TransportAddress from) {
        byte[] request = browser.request(c);
        return responder.handle(request, 0, request.length, from, 0, out, 0);
    }

    private StunMessage response(IceCheckResult result) {
        assertThat(result).isInstanceOf(Reply.class);
        return StunParser.parse(out, 0, ((Reply) result).length());
    }

    @Test
    void answersAnAuthenticatedCheckWithTheMappedSourceAndValidatesIt() {
        IceCheckResult result = send(check(), HOST);

        assertThat(result).isEqualTo(new Reply(HOST, 64, Outcome.ACCEPTED));
        StunMessage response = response(result);
        assertThat(response.type()).isEqualTo(StunMessage.BINDING_SUCCESS_RESPONSE);
        assertThat(response.xorMappedAddress()).isEqualTo(HOST);
        assertThat(GATEWAY_KEY.verify(response)).isTrue();
        assertThat(response.hasFingerprint()).isTrue();
        assertThat(responder.isAllowed(HOST)).isTrue();
        assertThat(responder.isAllowed(HOST.ip(), HOST.port())).isTrue();
        assertThat(responder.isAllowed(SRFLX)).isFalse();
        assertThat(responder.selected()).isEmpty();
    }

    @Test
    void selectsTheAddressTheBrowserNominates() {
        assertThat(send(check().nominate(), SRFLX)).isEqualTo(new Reply(SRFLX, 64, Outcome.NOMINATED));
        assertThat(responder.selected()).contains(SRFLX);
    }

    @Test
    void answersAWrongPasswordWith401WithoutIntegrityAndChangesNothing() {
        IceCheckResult result = send(check().password("SomeoneElsesPassword123").nominate(), HOST);

        StunMessage response = response(result);
        assertThat(((Reply) result).outcome()).isEqualTo(Outcome.UNAUTHENTICATED);
        assertThat(response.errorCode()).isEqualTo(401);
        assertThat(response.hasMessageIntegrity()).isFalse();
        assertThat(responder.isAllowed(HOST)).isFalse();
        assertThat(responder.selected()).isEmpty();
    }

    @Test
    void answersAWrongUsernameWith401EvenWhenTheIntegrityIsRight() {
        for (String username : new String[] {"gwufrag:otherbrowser", "otherufrag:browserufrag", "gwufrag",
                "gwufrag:browserufrag2", "browserufrag:gwufrag"}) {
            IceCheckResult result = send(check().username(username).nominate(), HOST);

            assertThat(((Reply) result).outcome()).as(username).isEqualTo(Outcome.UNAUTHENTICATED);
            assertThat(response(result).errorCode()).isEqualTo(401);
        }
        assertThat(responder.validated()).isEmpty();
    }

    @Test
    void answersACheckWithoutIntegrityWith400() {
        IceCheckResult result = send(check().withoutIntegrity(), HOST);

        assertThat(((Reply) result).outcome()).isEqualTo(Outcome.BAD_REQUEST);
        assertThat(response(result).errorCode()).isEqualTo(400);
        assertThat(responder.isAllowed(HOST)).isFalse();
    }

    @Test
    void acceptsACheckWithoutFingerprint() {
        assertThat(((Reply) send(check().withoutFingerprint(), HOST)).outcome()).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void dropsACheckWhoseFingerprintIsWrong() {
        byte[] request = browser.request(check().nominate());
        request[request.length - 1] ^= 0x55;

        IceCheckResult result = responder.handle(request, 0, request.length, HOST, 0, out, 0);

        assertThat(result).isInstanceOf(Ignored.class);
        assertThat(((Ignored) result).reason()).startsWith("not a valid STUN message from 192.168.1.20:50000: "
                + "FINGERPRINT");
        assertThat(responder.validated()).isEmpty();
    }

    @Test
    void answersAnUnknownComprehensionRequiredAttributeWith420ListingIt() {
        IceCheckResult result = send(check().withUnknownRequired(0x7f42).nominate(), HOST);

        StunMessage response = response(result);
        assertThat(response.errorCode()).isEqualTo(420);
        assertThat(GATEWAY_KEY.verify(response)).isTrue();
        assertThat(responder.selected()).isEmpty();
    }

    @Test
    void answersAPeerThatAlsoClaimsControlledWith487AndStaysControlled() {
        IceCheckResult result = send(check().claimingControlled().nominate(), HOST);

        StunMessage response = response(result);
        assertThat(((Reply) result).outcome()).isEqualTo(Outcome.ROLE_CONFLICT);
        assertThat(response.errorCode()).isEqualTo(487);
        assertThat(GATEWAY_KEY.verify(response)).isTrue();
        assertThat(responder.isAllowed(HOST)).isFalse();
        assertThat(responder.selected()).isEmpty();
    }

    @Test
    void ignoresUseCandidateFromAPeerThatDoesNotClaimControlling() {
        // Only the controlling agent nominates (RFC 8445 §8.1.1); a check with no role attribute is answered but
        // its USE-CANDIDATE does not move media.
        assertThat(send(check().withoutRole().nominate(), HOST)).isEqualTo(new Reply(HOST, 64, Outcome.ACCEPTED));
        assertThat(responder.isAllowed(HOST)).isTrue();
        assertThat(responder.selected()).isEmpty();
    }

    @Test
    void dropsTruncatedAndNonStunDatagramsWithoutAnswering() {
        byte[] request = browser.request(check().nominate());
        for (int len = 0; len < request.length; len++) {
            assertThat(responder.handle(request, 0, len, HOST, 0, out, 0)).as("cut to " + len)
                    .isInstanceOf(Ignored.class);
        }
        byte[] rtp = {(byte) 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(responder.handle(rtp, 0, rtp.length, HOST, 0, out, 0)).isInstanceOf(Ignored.class);
        assertThat(responder.validated()).isEmpty();
    }

    @Test
    void ignoresIndicationsAndResponses() {
        byte[] request = browser.request(check().withoutIntegrity().withoutFingerprint());
        request[1] = 0x11; // Binding indication (RFC 8445 §11 keepalive)
        IceCheckResult indication = responder.handle(request, 0, request.length, HOST, 0, out, 0);
        assertThat(((Ignored) indication).reason()).isEqualTo("STUN INDICATION of method 0x1 from "
                + "192.168.1.20:50000: an ICE-lite agent only answers Binding requests");
        request[0] = 0x01;
        request[1] = 0x01; // Binding success response
        assertThat(responder.handle(request, 0, request.length, HOST, 0, out, 0)).isInstanceOf(Ignored.class);
    }

    @Test
    void boundsTheValidatedSetButKeepsTheSelectedAddress() {
        send(check().nominate(), HOST);
        for (int port = 1; port <= 20; port++) {
            send(check(), new TransportAddress(new byte[] {10, 0, 0, 1}, port));
        }
        assertThat(responder.validated()).hasSize(IceLiteResponder.MAX_VALIDATED).contains(HOST);
        assertThat(responder.isAllowed(new TransportAddress(new byte[] {10, 0, 0, 1}, 20))).isTrue();
        assertThat(responder.isAllowed(new TransportAddress(new byte[] {10, 0, 0, 1}, 1))).isFalse();
    }

    @Test
    void writesTheResponseAtTheCallersOffset() {
        byte[] request = browser.request(check());
        byte[] big = new byte[300];
        Arrays.fill(big, (byte) 0x77);

        Reply reply = (Reply) responder.handle(request, 0, request.length, HOST, 0, big, 100);

        assertThat(big[99]).isEqualTo((byte) 0x77);
        assertThat(StunParser.parse(big, 100, reply.length()).xorMappedAddress()).isEqualTo(HOST);
        assertThat(big[100 + reply.length()]).isEqualTo((byte) 0x77);
    }

    @Test
    void theLargestErrorFitsTheAdvertisedResponseBuffer() {
        ScriptedBrowser.Check c = check();
        byte[] request = browser.request(c);
        // 16 distinct unknown comprehension-required attributes after USERNAME, all authenticated
        byte[] buf = new byte[400];
        org.pasarela.stun.StunWriter w = new org.pasarela.stun.StunWriter()
                .start(buf, 0, StunMessage.BINDING_REQUEST, new byte[12], 0)
                .username(c.username.getBytes(java.nio.charset.StandardCharsets.UTF_8)).iceControlling(1);
        for (int t = 0; t < 16; t++) {
            w.attribute(0x7f00 + t, new byte[0]);
        }
        int n = w.messageIntegrity(GATEWAY_KEY).fingerprint().length();
        assertThat(request.length).isLessThan(n);

        IceCheckResult result = responder.handle(buf, 0, n, HOST, 0, out, 0);

        assertThat(((Reply) result).length()).isEqualTo(IceLiteResponder.MAX_RESPONSE_LENGTH);
        assertThat(response(result).errorCode()).isEqualTo(420);
    }
}

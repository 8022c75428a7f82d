package org.pasarela.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.ice4j.Transport;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.ErrorCodeAttribute;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.attribute.XorMappedAddressAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.security.CredentialsAuthority;
import org.ice4j.stack.RawMessage;
import org.ice4j.stack.StunStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our codec against ice4j's (the ICE library of the adapters; test scope only): what we write, ice4j decodes and
 * authenticates, and what ice4j encodes, we parse and authenticate. No sockets: StunStack is used only for its
 * credentials manager.
 */
class Ice4jCrossCheckTest {
    static final String LOCAL_UFRAG = "gwufrag";
    static final String REMOTE_UFRAG = "browserufrag";
    static final String PWD = "Xb3kQ9zP2mW7tR5vN8cJ4hLd";
    static final String USERNAME = LOCAL_UFRAG + ":" + REMOTE_UFRAG;
    static final TransportAddress SOURCE = new TransportAddress(new byte[] {(byte) 192, 0, 2, 44}, 54321);

    static StunStack stack;

    @BeforeAll
    static void stackWithOurPassword() {
        stack = newStack();
    }

    @AfterAll
    static void shutDown() {
        stack.shutDown();
    }

    static StunStack newStack() {
        StunStack s = new StunStack();
        s.getCredentialsManager().registerAuthority(new CredentialsAuthority() {
            @Override
            public byte[] getLocalKey(String username) {
                // ice4j asks with the local ufrag when validating, and with the whole USERNAME when encoding.
                boolean ours = LOCAL_UFRAG.equals(username) || USERNAME.equals(username);
                return ours ? PWD.getBytes(StandardCharsets.UTF_8) : null;
            }

            @Override
            public byte[] getRemoteKey(String username, String media) {
                return PWD.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public boolean checkLocalUserName(String username) {
                return LOCAL_UFRAG.equals(username);
            }
        });
        return s;
    }

    /** A Chromium-like binding request encoded by ice4j. */
    static byte[] ice4jRequest(StunStack s, byte[] transactionId) throws Exception {
        Request request = MessageFactory.createBindingRequest(1845501695L, true, 0x5fa3b1e27c4d9086L);
        request.setTransactionID(transactionId);
        request.putAttribute(AttributeFactory.createUsernameAttribute(USERNAME));
        request.putAttribute(AttributeFactory.createUseCandidateAttribute());
        request.putAttribute(AttributeFactory.createMessageIntegrityAttribute(USERNAME));
        request.putAttribute(AttributeFactory.createFingerprintAttribute());
        return request.encode(s);
    }

    static boolean ice4jAuthenticates(StunStack s, byte[] bytes, String username) throws Exception {
        Message decoded = Message.decode(bytes, 0, bytes.length);
        MessageIntegrityAttribute mi = (MessageIntegrityAttribute) decoded.getAttribute(Attribute.MESSAGE_INTEGRITY);
        org.ice4j.TransportAddress any = new org.ice4j.TransportAddress("127.0.0.1", 9, Transport.UDP);
        return mi != null && s.validateMessageIntegrity(mi, username, true,
                RawMessage.build(bytes, bytes.length, any, any));
    }

    @Test
    void ice4jDecodesAndAuthenticatesOurSuccessResponse() throws Exception {
        byte[] request = StunVectors.read("chromium-shaped-binding-request-use-candidate.hex").bytes();
        byte[] out = new byte[100];
        int n = new StunWriter().bindingSuccess(out, 0, StunParser.parse(request, 0, request.length), SOURCE,
                StunIntegrity.forPassword(PWD));
        byte[] response = Arrays.copyOf(out, n);

        Message decoded = Message.decode(response, 0, response.length); // ice4j checks FINGERPRINT here

        assertThat((int) decoded.getMessageType()).isEqualTo(StunMessage.BINDING_SUCCESS_RESPONSE);
        assertThat(decoded.getTransactionID()).isEqualTo(Arrays.copyOfRange(request, 8, 20));
        XorMappedAddressAttribute xor = (XorMappedAddressAttribute) decoded.getAttribute(
                Attribute.XOR_MAPPED_ADDRESS);
        org.ice4j.TransportAddress mapped = xor.getAddress(decoded.getTransactionID());
        assertThat(mapped.getAddress()).isEqualTo(InetAddress.getByAddress(SOURCE.ip()));
        assertThat(mapped.getPort()).isEqualTo(SOURCE.port());
        assertThat(ice4jAuthenticates(stack, response, USERNAME)).isTrue();
    }

    @Test
    void ice4jDecodesOurRoleConflictResponse() throws Exception {
        byte[] request = StunVectors.read("chromium-shaped-binding-request.hex").bytes();
        byte[] out = new byte[100];
        int n = new StunWriter().bindingError(out, 0, StunParser.parse(request, 0, request.length),
                StunError.ROLE_CONFLICT, StunIntegrity.forPassword(PWD));
        byte[] response = Arrays.copyOf(out, n);

        Message decoded = Message.decode(response, 0, response.length);

        ErrorCodeAttribute error = (ErrorCodeAttribute) decoded.getAttribute(Attribute.ERROR_CODE);
        assertThat((int) error.getErrorCode()).isEqualTo(487);
        assertThat(ice4jAuthenticates(stack, response, USERNAME)).isTrue();
    }

    @Test
    void weParseAndAuthenticateABindingRequestEncodedByIce4j() throws Exception {
        byte[] id = StunVectors.hex("0c5d2e7fa4b1c3d9e8f70615");
        byte[] request = ice4jRequest(stack, id);

        StunMessage m = StunParser.parse(request, 0, request.length);

        assertThat(m.isBindingRequest()).isTrue();
        assertThat(m.transactionIdEquals(id)).isTrue();
        assertThat(m.username()).isEqualTo(USERNAME);
        assertThat(m.priority()).isEqualTo(1845501695L);
        assertThat(m.iceControlling()).isEqualTo(0x5fa3b1e27c4d9086L);
        assertThat(m.useCandidate()).isTrue();
        assertThat(m.hasFingerprint()).isTrue();
        assertThat(StunIntegrity.forPassword(PWD).verify(m)).isTrue();
        assertThat(StunIntegrity.forPassword(PWD + "x").verify(m)).isFalse();
    }

    @Test
    void ice4jAuthenticatesTheChromiumShapedVectorsToo() throws Exception {
        byte[] request = StunVectors.read("chromium-shaped-binding-request-use-candidate.hex").bytes();
        Message decoded = Message.decode(request, 0, request.length);
        assertThat(((UsernameAttribute) decoded.getAttribute(Attribute.USERNAME)).getUsername())
                .isEqualTo(USERNAME.getBytes(StandardCharsets.UTF_8));
        assertThat(ice4jAuthenticates(stack, request, USERNAME)).isTrue();
    }
}

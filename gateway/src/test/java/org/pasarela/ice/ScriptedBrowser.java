package org.pasarela.ice;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.pasarela.stun.StunIntegrity;
import org.pasarela.stun.StunMessage;
import org.pasarela.stun.StunWriter;

/**
 * A browser's side of ICE as far as a lite peer sees it: connectivity checks built with our writer, keyed by the
 * gateway's password (the password of the agent receiving the check, RFC 8445 §7.2.2).
 */
final class ScriptedBrowser {
    static final String GATEWAY_UFRAG = "gwufrag";
    static final String GATEWAY_PWD = "Xb3kQ9zP2mW7tR5vN8cJ4hLd";
    static final String BROWSER_UFRAG = "browserufrag";

    private final StunWriter writer = new StunWriter();
    private final byte[] buf = new byte[400];
    private int nextTransaction = 1;

    /** Options of one check; the defaults are what Chromium sends as the controlling agent. */
    static final class Check {
        String username = GATEWAY_UFRAG + ":" + BROWSER_UFRAG;
        String password = GATEWAY_PWD;
        boolean integrity = true;
        boolean fingerprint = true;
        boolean controlling = true;
        boolean role = true;
        boolean useCandidate;
        int unknownRequiredType = -1;

        Check nominate() {
            useCandidate = true;
            return this;
        }

        Check username(String u) {
            username = u;
            return this;
        }

        Check password(String p) {
            password = p;
            return this;
        }

        Check withoutIntegrity() {
            integrity = false;
            return this;
        }

        Check withoutFingerprint() {
            fingerprint = false;
            return this;
        }

        Check claimingControlled() {
            controlling = false;
            return this;
        }

        Check withoutRole() {
            role = false;
            return this;
        }

        Check withUnknownRequired(int type) {
            unknownRequiredType = type;
            return this;
        }
    }

    static Check check() {
        return new Check();
    }

    byte[] request(Check c) {
        byte[] id = ByteBuffer.allocate(12).putInt(8, nextTransaction++).array();
        writer.start(buf, 0, StunMessage.BINDING_REQUEST, id, 0)
                .username(c.username.getBytes(StandardCharsets.UTF_8))
                .attribute(0xC057, new byte[] {0, 1, 0, 10});
        if (c.role && c.controlling) {
            writer.iceControlling(0x5fa3b1e27c4d9086L);
        } else if (c.role) {
            writer.iceControlled(0x5fa3b1e27c4d9086L);
        }
        if (c.useCandidate) {
            writer.useCandidate();
        }
        writer.priority(1845501695L);
        if (c.unknownRequiredType >= 0) {
            writer.attribute(c.unknownRequiredType, new byte[4]);
        }
        if (c.integrity) {
            writer.messageIntegrity(StunIntegrity.forPassword(c.password));
        }
        if (c.fingerprint) {
            writer.fingerprint();
        }
        return Arrays.copyOf(buf, writer.length());
    }
}

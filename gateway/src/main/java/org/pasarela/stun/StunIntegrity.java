package org.pasarela.stun;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The MESSAGE-INTEGRITY key for one ICE password, with its reusable JCE HMAC-SHA1 (RFC 8489 §14.5, §9.1.1
 * short-term credentials). The HMAC covers the message up to the attribute, with the header's length field set as
 * if MESSAGE-INTEGRITY were the last attribute; both directions feed that length to the MAC instead of patching
 * the caller's buffer.
 *
 * <p>The key is the password after OpaqueString (RFC 8265). ICE passwords are ice-chars (RFC 8839 §5.4: ASCII
 * letters, digits, '+' and '/'), for which OpaqueString is the identity, so the key is the password's bytes.
 *
 * <p>Not thread-safe: one instance per call (its lane), because {@link Mac} keeps state between calls.
 */
public final class StunIntegrity {
    static final int HMAC_LENGTH = 20;
    private final Mac mac;
    private final byte[] scratch = new byte[HMAC_LENGTH];

    private StunIntegrity(byte[] key) {
        try {
            mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JCE has no HmacSHA1, which every Java SE runtime must provide", e);
        }
    }

    public static StunIntegrity forPassword(String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("ICE password must not be empty");
        }
        return new StunIntegrity(password.getBytes(StandardCharsets.UTF_8));
    }

    /** True when the message carries MESSAGE-INTEGRITY and it matches this key. Compares in constant time. */
    public boolean verify(StunMessage message) {
        int mi = message.messageIntegrity;
        if (mi < 0) {
            return false;
        }
        hmac(message.buf, message.off, mi, scratch);
        int diff = 0;
        for (int i = 0; i < HMAC_LENGTH; i++) {
            diff |= scratch[i] ^ message.buf[mi + 4 + i];
        }
        return diff == 0;
    }

    /**
     * Writes the MESSAGE-INTEGRITY attribute (header and HMAC) at {@code attributeOffset} for the message starting
     * at {@code messageOffset}; everything before the attribute must already be in place.
     */
    void sign(byte[] buf, int messageOffset, int attributeOffset) {
        buf[attributeOffset] = 0;
        buf[attributeOffset + 1] = (byte) StunAttribute.MESSAGE_INTEGRITY;
        buf[attributeOffset + 2] = 0;
        buf[attributeOffset + 3] = HMAC_LENGTH;
        hmac(buf, messageOffset, attributeOffset, scratch);
        System.arraycopy(scratch, 0, buf, attributeOffset + 4, HMAC_LENGTH);
    }

    private void hmac(byte[] buf, int messageOffset, int attributeOffset, byte[] out) {
        int adjustedLength = attributeOffset - messageOffset - StunMessage.HEADER_LENGTH + 4 + HMAC_LENGTH;
        mac.update(buf, messageOffset, 2);
        mac.update((byte) (adjustedLength >> 8));
        mac.update((byte) adjustedLength);
        mac.update(buf, messageOffset + 4, attributeOffset - messageOffset - 4);
        try {
            mac.doFinal(out, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException("a 20-byte buffer is too short for HMAC-SHA1", e);
        }
    }
}

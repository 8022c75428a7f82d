package org.pasarela.stun;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * A parsed STUN message: a read-only view over the bytes it was parsed from (RFC 8489 §5), holding the offsets of
 * the attributes ICE uses. Built only by {@link StunParser}, which has already checked every length and value read
 * here; the accessors therefore never fail on the bytes, only on a caller asking for an attribute that is absent.
 *
 * <p>The view aliases the caller's buffer: it is valid until the caller reuses that buffer. Not thread-safe.
 */
public final class StunMessage {
    public static final int HEADER_LENGTH = 20;
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int TRANSACTION_ID_LENGTH = 12;

    public static final int METHOD_BINDING = 0x001;
    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_INDICATION = 0x0011;
    public static final int BINDING_SUCCESS_RESPONSE = 0x0101;
    public static final int BINDING_ERROR_RESPONSE = 0x0111;

    /** Message classes, RFC 8489 §5: the C1 C0 bits. */
    public enum MessageClass { REQUEST, INDICATION, SUCCESS_RESPONSE, ERROR_RESPONSE }

    final byte[] buf;
    final int off;
    final int length;
    final int type;
    // Absolute offsets into buf of attribute values (-1 when absent), filled in by StunParser.
    int username = -1;
    int usernameLength;
    int messageIntegrity = -1; // offset of the attribute header, which is what the HMAC stops at
    int fingerprint = -1;      // offset of the attribute header
    int xorMappedAddress = -1;
    int priority = -1;
    boolean useCandidate;
    int iceControlling = -1;
    int iceControlled = -1;
    int errorCode = -1;
    int errorCodeLength;
    int software = -1;
    int softwareLength;
    int[] unknownRequired;
    int unknownRequiredCount;

    StunMessage(byte[] buf, int off, int length, int type) {
        this.buf = buf;
        this.off = off;
        this.length = length;
        this.type = type;
    }

    /** The 14-bit message type, e.g. {@link #BINDING_REQUEST}. */
    public int type() {
        return type;
    }

    /** The 12-bit method, with the class bits taken out (RFC 8489 §5, figure 3). */
    public int method() {
        return (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
    }

    public MessageClass messageClass() {
        return MessageClass.values()[((type >> 4) & 1) | ((type >> 7) & 2)];
    }

    public boolean isBindingRequest() {
        return type == BINDING_REQUEST;
    }

    /** Total length on the wire, header included. */
    public int length() {
        return length;
    }

    public byte[] transactionId() {
        return Arrays.copyOfRange(buf, off + 8, off + HEADER_LENGTH);
    }

    public boolean transactionIdEquals(byte[] id) {
        return id.length == TRANSACTION_ID_LENGTH
                && Arrays.equals(buf, off + 8, off + HEADER_LENGTH, id, 0, TRANSACTION_ID_LENGTH);
    }

    public boolean hasUsername() {
        return username >= 0;
    }

    public String username() {
        require(username, "USERNAME");
        return new String(buf, username, usernameLength, StandardCharsets.UTF_8);
    }

    /** Compares USERNAME with the expected UTF-8 bytes without allocating. */
    public boolean usernameEquals(byte[] expected) {
        return username >= 0 && Arrays.equals(buf, username, username + usernameLength, expected, 0, expected.length);
    }

    public boolean hasMessageIntegrity() {
        return messageIntegrity >= 0;
    }

    public boolean hasFingerprint() {
        return fingerprint >= 0;
    }

    public boolean hasPriority() {
        return priority >= 0;
    }

    /** PRIORITY (RFC 8445 §7.1.1), an unsigned 32-bit value. */
    public long priority() {
        require(priority, "PRIORITY");
        return readInt(buf, priority) & 0xFFFFFFFFL;
    }

    public boolean useCandidate() {
        return useCandidate;
    }

    public boolean hasIceControlling() {
        return iceControlling >= 0;
    }

    /** The ICE-CONTROLLING tie-breaker (RFC 8445 §7.1.3), an unsigned 64-bit value in a long. */
    public long iceControlling() {
        require(iceControlling, "ICE-CONTROLLING");
        return readLong(buf, iceControlling);
    }

    public boolean hasIceControlled() {
        return iceControlled >= 0;
    }

    public long iceControlled() {
        require(iceControlled, "ICE-CONTROLLED");
        return readLong(buf, iceControlled);
    }

    public boolean hasXorMappedAddress() {
        return xorMappedAddress >= 0;
    }

    /** XOR-MAPPED-ADDRESS with the XOR undone (RFC 8489 §14.2). */
    public TransportAddress xorMappedAddress() {
        require(xorMappedAddress, "XOR-MAPPED-ADDRESS");
        int p = xorMappedAddress;
        int port = ((buf[p + 2] & 0xFF) << 8 | (buf[p + 3] & 0xFF)) ^ (MAGIC_COOKIE >>> 16);
        byte[] ip = new byte[buf[p + 1] == 1 ? 4 : 16];
        for (int i = 0; i < ip.length; i++) {
            ip[i] = (byte) (buf[p + 4 + i] ^ buf[off + 4 + i]); // cookie then transaction id, as RFC 8489 §14.2
        }
        return new TransportAddress(ip, port);
    }

    public boolean hasErrorCode() {
        return errorCode >= 0;
    }

    /** ERROR-CODE as class * 100 + number, e.g. 487 (RFC 8489 §14.8). */
    public int errorCode() {
        require(errorCode, "ERROR-CODE");
        return (buf[errorCode + 2] & 0x07) * 100 + (buf[errorCode + 3] & 0xFF);
    }

    public String errorReason() {
        require(errorCode, "ERROR-CODE");
        return new String(buf, errorCode + 4, errorCodeLength - 4, StandardCharsets.UTF_8);
    }

    public Optional<String> software() {
        return software < 0 ? Optional.empty()
                : Optional.of(new String(buf, software, softwareLength, StandardCharsets.UTF_8));
    }

    public boolean hasUnknownComprehensionRequired() {
        return unknownRequiredCount > 0;
    }

    /** Comprehension-required attribute types this parser does not understand, in message order (for 420). */
    public int[] unknownComprehensionRequired() {
        return unknownRequired == null ? new int[0] : Arrays.copyOf(unknownRequired, unknownRequiredCount);
    }

    private static void require(int offset, String attribute) {
        if (offset < 0) {
            throw new IllegalStateException("message has no " + attribute);
        }
    }

    static int readInt(byte[] b, int p) {
        return (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    }

    static long readLong(byte[] b, int p) {
        return (long) readInt(b, p) << 32 | (readInt(b, p + 4) & 0xFFFFFFFFL);
    }

    @Override
    public String toString() {
        return "StunMessage[type=0x" + Integer.toHexString(type) + ", length=" + length + "]";
    }
}

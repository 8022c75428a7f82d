package org.pasarela.stun;

import static org.pasarela.stun.StunMessage.HEADER_LENGTH;
import static org.pasarela.stun.StunMessage.MAGIC_COOKIE;
import static org.pasarela.stun.StunMessage.readInt;

/**
 * Parses and validates a STUN message (RFC 8489 §5, §6.3, §14) into a {@link StunMessage} view. For any bytes it
 * either returns a message whose attributes are all safe to read or throws {@link StunException} naming the
 * problem; nothing else escapes. It checks FINGERPRINT when present (a mismatch means "not STUN", RFC 8489 §7.3)
 * but not MESSAGE-INTEGRITY, which needs a key: see {@link StunIntegrity#verify}.
 *
 * <p>Stateless and thread-safe; a successful parse allocates the one view object (plus a small array when the
 * message carries unknown comprehension-required attributes).
 */
public final class StunParser {
    /** IPv6's minimum MTU; WebRTC STUN checks are ~100 bytes and RFC 8489 §6.1 keeps messages within the path MTU. */
    public static final int DEFAULT_MAX_LENGTH = 1280;
    /** Two RFC 8839 §5.4 ufrags of up to 256 characters and the colon between them. */
    static final int MAX_USERNAME_LENGTH = 513;
    /** RFC 8489 §14.8, §14.14: 128 characters, up to 763 bytes when decoding. */
    static final int MAX_TEXT_LENGTH = 763;
    private static final int MAX_UNKNOWN_REPORTED = 16;

    private StunParser() {
    }

    /** Quick demultiplexing test: the two leading zero bits and the magic cookie (RFC 8489 §6, RFC 7983). */
    public static boolean looksLikeStun(byte[] buf, int off, int len) {
        return buf != null && off >= 0 && len >= HEADER_LENGTH && off <= buf.length - len
                && (buf[off] & 0xC0) == 0 && readInt(buf, off + 4) == MAGIC_COOKIE;
    }

    public static StunMessage parse(byte[] buf, int off, int len) {
        return parse(buf, off, len, DEFAULT_MAX_LENGTH);
    }

    public static StunMessage parse(byte[] buf, int off, int len, int maxLength) {
        if (buf == null) {
            throw new StunException("buffer is null");
        }
        if (off < 0 || len < 0 || off > buf.length - len) {
            throw new StunException("offset " + off + " and length " + len + " lie outside a buffer of "
                    + buf.length + " bytes");
        }
        if (len < HEADER_LENGTH) {
            throw new StunException("message of " + len + " bytes is shorter than the 20-byte STUN header");
        }
        if (len > maxLength) {
            throw new StunException("message of " + len + " bytes exceeds the " + maxLength + "-byte limit");
        }
        if ((buf[off] & 0xC0) != 0) {
            throw new StunException("first two bits of the message type are not zero (0x"
                    + Integer.toHexString(buf[off] & 0xFF) + ")");
        }
        int type = (buf[off] & 0xFF) << 8 | (buf[off + 1] & 0xFF);
        int bodyLength = (buf[off + 2] & 0xFF) << 8 | (buf[off + 3] & 0xFF);
        if ((bodyLength & 3) != 0) {
            throw new StunException("message length " + bodyLength + " is not a multiple of 4");
        }
        if (bodyLength != len - HEADER_LENGTH) {
            throw new StunException("message length field says " + bodyLength + " bytes of attributes but "
                    + (len - HEADER_LENGTH) + " follow the header");
        }
        int cookie = readInt(buf, off + 4);
        if (cookie != MAGIC_COOKIE) {
            throw new StunException("magic cookie is 0x" + Integer.toHexString(cookie) + ", expected 0x2112a442");
        }
        StunMessage m = new StunMessage(buf, off, len, type);
        readAttributes(m, buf, off, off + len);
        return m;
    }

    private static void readAttributes(StunMessage m, byte[] buf, int off, int end) {
        int p = off + HEADER_LENGTH;
        while (p < end) {
            int at = p - off;
            if (m.fingerprint >= 0) {
                throw new StunException("attribute at offset " + at + " follows FINGERPRINT, which must be last");
            }
            if (end - p < 4) {
                throw new StunException("attribute header at offset " + at + " is truncated");
            }
            int type = (buf[p] & 0xFF) << 8 | (buf[p + 1] & 0xFF);
            int length = (buf[p + 2] & 0xFF) << 8 | (buf[p + 3] & 0xFF);
            int padded = (length + 3) & ~3;
            if (padded > end - p - 4) {
                throw new StunException(name(type) + " at offset " + at + ": length " + length
                        + (padded != length ? " (" + padded + " with padding)" : "")
                        + " runs past the end of the message");
            }
            int value = p + 4;
            // RFC 8489 §14.5: after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT count.
            if (m.messageIntegrity < 0 || type == StunAttribute.FINGERPRINT) {
                readAttribute(m, buf, type, value, length, at);
            }
            p = value + padded; // padding values are ignored, RFC 8489 §14
        }
    }

    private static void readAttribute(StunMessage m, byte[] buf, int type, int value, int length, int at) {
        switch (type) {
            case StunAttribute.USERNAME -> {
                if (m.username >= 0) {
                    return; // RFC 8489 §14: only the first occurrence needs processing
                }
                atMost(type, length, MAX_USERNAME_LENGTH, at);
                m.username = value;
                m.usernameLength = length;
            }
            case StunAttribute.MESSAGE_INTEGRITY -> {
                exactly(type, length, 20, at);
                m.messageIntegrity = value - 4;
            }
            case StunAttribute.FINGERPRINT -> {
                exactly(type, length, 4, at);
                int header = value - 4;
                int expected = StunFingerprint.compute(buf, m.off, header - m.off);
                int actual = readInt(buf, value);
                if (expected != actual) {
                    throw new StunException("FINGERPRINT at offset " + at + " is 0x" + Integer.toHexString(actual)
                            + ", the message's is 0x" + Integer.toHexString(expected));
                }
                m.fingerprint = header;
            }
            case StunAttribute.XOR_MAPPED_ADDRESS -> {
                if (m.xorMappedAddress >= 0) {
                    return;
                }
                if (length < 4) {
                    throw new StunException("XOR-MAPPED-ADDRESS at offset " + at + ": length " + length
                            + " is too short for family and port");
                }
                int family = buf[value + 1] & 0xFF;
                if (family != 1 && family != 2) {
                    throw new StunException("XOR-MAPPED-ADDRESS at offset " + at + ": unknown address family 0x"
                            + Integer.toHexString(family));
                }
                exactly(type, length, family == 1 ? 8 : 20, at);
                m.xorMappedAddress = value;
            }
            case StunAttribute.PRIORITY -> {
                exactly(type, length, 4, at);
                if (m.priority < 0) {
                    m.priority = value;
                }
            }
            case StunAttribute.USE_CANDIDATE -> {
                exactly(type, length, 0, at);
                m.useCandidate = true;
            }
            case StunAttribute.ICE_CONTROLLING -> {
                exactly(type, length, 8, at);
                if (m.iceControlling < 0) {
                    m.iceControlling = value;
                }
            }
            case StunAttribute.ICE_CONTROLLED -> {
                exactly(type, length, 8, at);
                if (m.iceControlled < 0) {
                    m.iceControlled = value;
                }
            }
            case StunAttribute.ERROR_CODE -> readErrorCode(m, buf, value, length, at);
            case StunAttribute.SOFTWARE -> {
                atMost(type, length, MAX_TEXT_LENGTH, at);
                if (m.software < 0) {
                    m.software = value;
                    m.softwareLength = length;
                }
            }
            case StunAttribute.UNKNOWN_ATTRIBUTES -> {
                if ((length & 1) != 0) {
                    throw new StunException("UNKNOWN-ATTRIBUTES at offset " + at + ": length " + length
                            + " is not a whole number of 16-bit types");
                }
            }
            default -> {
                if (!StunAttribute.isUnderstood(type)) {
                    noteUnknownRequired(m, type);
                }
            }
        }
    }

    private static void readErrorCode(StunMessage m, byte[] buf, int value, int length, int at) {
        if (length < 4) {
            throw new StunException("ERROR-CODE at offset " + at + ": length " + length + " is shorter than 4");
        }
        atMost(StunAttribute.ERROR_CODE, length - 4, MAX_TEXT_LENGTH, at);
        int errorClass = buf[value + 2] & 0x07;
        int number = buf[value + 3] & 0xFF;
        if (errorClass < 3 || errorClass > 6 || number > 99) {
            throw new StunException("ERROR-CODE at offset " + at + ": class " + errorClass + " number " + number
                    + " is not a 300..699 code");
        }
        if (m.errorCode < 0) {
            m.errorCode = value;
            m.errorCodeLength = length;
        }
    }

    private static void noteUnknownRequired(StunMessage m, int type) {
        if (m.unknownRequired == null) {
            m.unknownRequired = new int[4];
        }
        for (int i = 0; i < m.unknownRequiredCount; i++) {
            if (m.unknownRequired[i] == type) {
                return;
            }
        }
        if (m.unknownRequiredCount == MAX_UNKNOWN_REPORTED) {
            return; // enough to answer 420; a longer list would only grow the error response
        }
        if (m.unknownRequiredCount == m.unknownRequired.length) {
            m.unknownRequired = java.util.Arrays.copyOf(m.unknownRequired, MAX_UNKNOWN_REPORTED);
        }
        m.unknownRequired[m.unknownRequiredCount++] = type;
    }

    private static void exactly(int type, int length, int expected, int at) {
        if (length != expected) {
            throw new StunException(name(type) + " at offset " + at + ": length " + length + ", expected "
                    + expected);
        }
    }

    private static void atMost(int type, int length, int max, int at) {
        if (length > max) {
            throw new StunException(name(type) + " at offset " + at + ": length " + length + " exceeds " + max);
        }
    }

    static String name(int type) {
        return switch (type) {
            case StunAttribute.USERNAME -> "USERNAME";
            case StunAttribute.MESSAGE_INTEGRITY -> "MESSAGE-INTEGRITY";
            case StunAttribute.FINGERPRINT -> "FINGERPRINT";
            case StunAttribute.XOR_MAPPED_ADDRESS -> "XOR-MAPPED-ADDRESS";
            case StunAttribute.PRIORITY -> "PRIORITY";
            case StunAttribute.USE_CANDIDATE -> "USE-CANDIDATE";
            case StunAttribute.ICE_CONTROLLING -> "ICE-CONTROLLING";
            case StunAttribute.ICE_CONTROLLED -> "ICE-CONTROLLED";
            case StunAttribute.ERROR_CODE -> "ERROR-CODE";
            case StunAttribute.SOFTWARE -> "SOFTWARE";
            case StunAttribute.UNKNOWN_ATTRIBUTES -> "UNKNOWN-ATTRIBUTES";
            default -> String.format("attribute 0x%04x", type);
        };
    }
}

package org.pasarela.stun;

import static org.pasarela.stun.StunMessage.HEADER_LENGTH;
import static org.pasarela.stun.StunMessage.MAGIC_COOKIE;
import static org.pasarela.stun.StunMessage.TRANSACTION_ID_LENGTH;

/**
 * Writes STUN messages into a caller-supplied buffer (RFC 8489 §5, §14): a header, then attributes in call order,
 * keeping the header's length field current after each one so MESSAGE-INTEGRITY and FINGERPRINT cover the right
 * bytes. {@link #bindingSuccess} and {@link #bindingError} compose the responses an ICE-lite agent sends.
 *
 * <p>Writing allocates nothing; MESSAGE-INTEGRITY costs what the JCE {@code Mac} allocates internally. A buffer too
 * small for the next attribute throws {@link StunException} naming the attribute. Not thread-safe: reuse one
 * instance per lane.
 */
public final class StunWriter {
    private final byte padding;
    private byte[] out;
    private int start;
    private int pos;

    /** A writer that pads attribute values with zero bytes. */
    public StunWriter() {
        this((byte) 0);
    }

    /**
     * A writer that pads with the given byte. Receivers ignore padding (RFC 8489 §14); RFC 5769's vectors pad with
     * spaces, and this is how they are reproduced byte for byte.
     */
    public StunWriter(byte padding) {
        this.padding = padding;
    }

    /** Begins a message of the given 14-bit type with the transaction id at {@code id[idOffset..+12]}. */
    public StunWriter start(byte[] buffer, int offset, int type, byte[] id, int idOffset) {
        if (buffer == null || offset < 0 || offset > buffer.length) {
            throw new StunException("output offset " + offset + " lies outside the buffer");
        }
        if (type < 0 || type > 0x3FFF) {
            throw new StunException("message type 0x" + Integer.toHexString(type) + " does not fit 14 bits");
        }
        if (id == null || idOffset < 0 || idOffset > id.length - TRANSACTION_ID_LENGTH) {
            throw new StunException("transaction id needs 12 bytes at offset " + idOffset);
        }
        out = buffer;
        start = offset;
        pos = offset;
        room(HEADER_LENGTH, "header");
        out[pos] = (byte) (type >> 8);
        out[pos + 1] = (byte) type;
        writeInt(pos + 4, MAGIC_COOKIE);
        System.arraycopy(id, idOffset, out, pos + 8, TRANSACTION_ID_LENGTH);
        pos += HEADER_LENGTH;
        updateLength();
        return this;
    }

    /** Begins a response of the given type to {@code request}, echoing its transaction id (RFC 8489 §6.3). */
    public StunWriter startResponse(byte[] buffer, int offset, int type, StunMessage request) {
        return start(buffer, offset, type, request.buf, request.off + 8);
    }

    public StunWriter username(byte[] utf8) {
        return attribute(StunAttribute.USERNAME, utf8);
    }

    public StunWriter software(byte[] utf8) {
        return attribute(StunAttribute.SOFTWARE, utf8);
    }

    public StunWriter priority(long priority) {
        if (priority < 0 || priority > 0xFFFFFFFFL) {
            throw new StunException("PRIORITY " + priority + " does not fit 32 bits");
        }
        header(StunAttribute.PRIORITY, 4, "PRIORITY");
        writeInt(pos, (int) priority);
        return advance(4);
    }

    public StunWriter useCandidate() {
        header(StunAttribute.USE_CANDIDATE, 0, "USE-CANDIDATE");
        return advance(0);
    }

    public StunWriter iceControlling(long tieBreaker) {
        return tieBreaker(StunAttribute.ICE_CONTROLLING, tieBreaker, "ICE-CONTROLLING");
    }

    public StunWriter iceControlled(long tieBreaker) {
        return tieBreaker(StunAttribute.ICE_CONTROLLED, tieBreaker, "ICE-CONTROLLED");
    }

    /** XOR-MAPPED-ADDRESS (RFC 8489 §14.2): port XOR the cookie's top half, address XOR cookie + transaction id. */
    public StunWriter xorMappedAddress(TransportAddress address) {
        int ipLength = address.ipLength();
        header(StunAttribute.XOR_MAPPED_ADDRESS, 4 + ipLength, "XOR-MAPPED-ADDRESS");
        out[pos] = 0;
        out[pos + 1] = (byte) (ipLength == 4 ? 1 : 2);
        int port = address.port() ^ (MAGIC_COOKIE >>> 16);
        out[pos + 2] = (byte) (port >> 8);
        out[pos + 3] = (byte) port;
        for (int i = 0; i < ipLength; i++) {
            out[pos + 4 + i] = (byte) (address.ipByte(i) ^ out[start + 4 + i]);
        }
        return advance(4 + ipLength);
    }

    public StunWriter errorCode(StunError error) {
        byte[] reason = error.reasonBytes();
        header(StunAttribute.ERROR_CODE, 4 + reason.length, "ERROR-CODE");
        out[pos] = 0;
        out[pos + 1] = 0;
        out[pos + 2] = (byte) (error.code() / 100);
        out[pos + 3] = (byte) (error.code() % 100);
        System.arraycopy(reason, 0, out, pos + 4, reason.length);
        return advance(4 + reason.length);
    }

    /** UNKNOWN-ATTRIBUTES (RFC 8489 §14.9) listing the first {@code count} types. */
    public StunWriter unknownAttributes(int[] types, int count) {
        header(StunAttribute.UNKNOWN_ATTRIBUTES, 2 * count, "UNKNOWN-ATTRIBUTES");
        for (int i = 0; i < count; i++) {
            out[pos + 2 * i] = (byte) (types[i] >> 8);
            out[pos + 2 * i + 1] = (byte) types[i];
        }
        return advance(2 * count);
    }

    /** Any attribute with a raw value, padded to 4 bytes. */
    public StunWriter attribute(int type, byte[] value) {
        if (type < 0 || type > 0xFFFF || value.length > 0xFFFF) {
            throw new StunException(StunParser.name(type) + ": type or length " + value.length + " out of range");
        }
        header(type, value.length, StunParser.name(type));
        System.arraycopy(value, 0, out, pos, value.length);
        return advance(value.length);
    }

    /** MESSAGE-INTEGRITY over everything written so far (RFC 8489 §14.5). */
    public StunWriter messageIntegrity(StunIntegrity integrity) {
        room(4 + StunIntegrity.HMAC_LENGTH, "MESSAGE-INTEGRITY");
        integrity.sign(out, start, pos);
        pos += 4 + StunIntegrity.HMAC_LENGTH;
        updateLength();
        return this;
    }

    /** FINGERPRINT (RFC 8489 §14.7); must be the last attribute. */
    public StunWriter fingerprint() {
        int attributeOffset = pos;
        header(StunAttribute.FINGERPRINT, 4, "FINGERPRINT");
        pos += 4;
        updateLength(); // the CRC covers a header whose length already counts FINGERPRINT
        writeInt(attributeOffset + 4, StunFingerprint.compute(out, start, attributeOffset - start));
        return this;
    }

    /** Bytes written since {@link #start}. */
    public int length() {
        return pos - start;
    }

    /** Binding success response: XOR-MAPPED-ADDRESS of the request's source, MESSAGE-INTEGRITY, FINGERPRINT. */
    public int bindingSuccess(byte[] buffer, int offset, StunMessage request, TransportAddress source,
            StunIntegrity integrity) {
        return startResponse(buffer, offset, StunMessage.BINDING_SUCCESS_RESPONSE, request)
                .xorMappedAddress(source).messageIntegrity(integrity).fingerprint().length();
    }

    /**
     * Binding error response with ERROR-CODE and FINGERPRINT; UNKNOWN-ATTRIBUTES for 420. MESSAGE-INTEGRITY is
     * added when {@code integrity} is not null: RFC 8489 §9.1.3 forbids it on 400/401, whose requests did not
     * authenticate, and asks for it otherwise.
     */
    public int bindingError(byte[] buffer, int offset, StunMessage request, StunError error,
            StunIntegrity integrity) {
        startResponse(buffer, offset, StunMessage.BINDING_ERROR_RESPONSE, request).errorCode(error);
        if (error == StunError.UNKNOWN_ATTRIBUTE) {
            unknownAttributes(request.unknownRequired == null ? new int[0] : request.unknownRequired,
                    request.unknownRequiredCount);
        }
        if (integrity != null) {
            messageIntegrity(integrity);
        }
        return fingerprint().length();
    }

    private StunWriter tieBreaker(int type, long value, String name) {
        header(type, 8, name);
        writeInt(pos, (int) (value >>> 32));
        writeInt(pos + 4, (int) value);
        return advance(8);
    }

    private void header(int type, int length, String name) {
        if (out == null) {
            throw new IllegalStateException("StunWriter.start must be called before " + name);
        }
        room(4 + ((length + 3) & ~3), name);
        out[pos] = (byte) (type >> 8);
        out[pos + 1] = (byte) type;
        out[pos + 2] = (byte) (length >> 8);
        out[pos + 3] = (byte) length;
        pos += 4;
    }

    private StunWriter advance(int length) {
        int padded = (length + 3) & ~3;
        for (int i = length; i < padded; i++) {
            out[pos + i] = padding;
        }
        pos += padded;
        updateLength();
        return this;
    }

    private void room(int bytes, String what) {
        if (bytes > out.length - pos) {
            throw new StunException(what + " needs " + bytes + " bytes at offset " + (pos - start) + " but the buffer "
                    + "has " + (out.length - pos) + " left");
        }
    }

    private void updateLength() {
        int length = pos - start - HEADER_LENGTH;
        out[start + 2] = (byte) (length >> 8);
        out[start + 3] = (byte) length;
    }

    private void writeInt(int at, int value) {
        out[at] = (byte) (value >> 24);
        out[at + 1] = (byte) (value >> 16);
        out[at + 2] = (byte) (value >> 8);
        out[at + 3] = (byte) value;
    }
}

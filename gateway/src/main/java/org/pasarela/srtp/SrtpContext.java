package org.pasarela.srtp;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One direction of an SRTP session: the session keys derived once from one master key (RFC 3711 §4.3), the JCE
 * cipher and digest instances, and per-SSRC rollover counters and replay windows (§3.3.1, §3.3.2). Protects or
 * unprotects RTP and RTCP in place and returns the new length or a negative {@link SrtpStatus}; it throws only for
 * caller bugs (offsets outside the buffer).
 *
 * <p>A context holds keys and per-SSRC state only; the buffers and the SHA-1 digest an operation works in are the
 * thread's {@link SrtpScratch}, so that per packet only the keys are cold in the caches.
 *
 * <p>AES-CM profiles allocate nothing per packet. AEAD_AES_128_GCM goes through "AES/GCM/NoPadding", which needs a
 * new GCMParameterSpec per packet and allocates inside the JDK (about 1 KB a packet on JDK 17; see SrtpBenchmark).
 *
 * <p>Not thread-safe: each direction is owned by one thread (the relay's receive or send loop).
 */
public final class SrtpContext {
    /** SSRCs one context tracks. An unauthenticated packet never creates one, so only a key holder can fill it. */
    public static final int MAX_STREAMS = 64;
    private static final int GCM_TAG_BITS = 128;
    private static final int RTP_FIXED_HEADER = 12;
    private static final int RTCP_FIXED_HEADER = 8;
    private static final int E_FLAG = 0x8000_0000;

    private final SrtpProfile profile;
    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    private final AesCounterMode rtpCm;
    private final AesCounterMode rtcpCm;
    private final HmacSha1 rtpMac;
    private final HmacSha1 rtcpMac;
    private final Cipher gcm;
    private final SecretKeySpec rtpGcmKey;
    private final SecretKeySpec rtcpGcmKey;

    private SsrcState[] streams = new SsrcState[2];
    private int streamCount;
    private final SsrcState candidate = new SsrcState(0);

    /** A context for the master key and salt of one direction (from DTLS-SRTP, RFC 5764 §4.2). */
    public SrtpContext(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        this(profile, derive(profile, masterKey, masterSalt));
    }

    SrtpContext(SrtpProfile profile, SessionKeys keys) {
        this.profile = profile;
        this.rtpSalt = keys.rtpSalt().clone();
        this.rtcpSalt = keys.rtcpSalt().clone();
        if (profile.aead()) {
            try {
                gcm = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("JCE has no AES/GCM/NoPadding", e);
            }
            rtpGcmKey = new SecretKeySpec(keys.rtpKey(), "AES");
            rtcpGcmKey = new SecretKeySpec(keys.rtcpKey(), "AES");
            rtpCm = rtcpCm = null;
            rtpMac = rtcpMac = null;
        } else {
            gcm = null;
            rtpGcmKey = rtcpGcmKey = null;
            rtpCm = new AesCounterMode(keys.rtpKey());
            rtcpCm = new AesCounterMode(keys.rtcpKey());
            rtpMac = new HmacSha1(keys.rtpAuth());
            rtcpMac = new HmacSha1(keys.rtcpAuth());
        }
    }

    private static SessionKeys derive(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        if (profile == null) throw new IllegalArgumentException("SRTP profile is missing");
        if (masterKey == null || masterKey.length != profile.masterKeyLength()) {
            throw new IllegalArgumentException("master key is " + (masterKey == null ? "missing" : masterKey.length + " bytes")
                    + "; " + profile + " needs " + profile.masterKeyLength());
        }
        if (masterSalt == null || masterSalt.length != profile.masterSaltLength()) {
            throw new IllegalArgumentException("master salt is " + (masterSalt == null ? "missing" : masterSalt.length + " bytes")
                    + "; " + profile + " needs " + profile.masterSaltLength());
        }
        return SessionKeys.derive(profile, masterKey, masterSalt);
    }

    public SrtpProfile profile() { return profile; }

    /**
     * Encrypts and authenticates the RTP packet in {@code buf[off, off + len)} in place (RFC 3711 §3.3, RFC 7714
     * §8) and returns its new length, {@code len + profile().rtpTagLength()}, or a negative {@link SrtpStatus}.
     */
    public int protectRtp(byte[] buf, int off, int len) {
        checkBounds(buf, off, len);
        int header = rtpHeaderLength(buf, off, len);
        if (header < 0) return header;
        int tagLength = profile.rtpTagLength();
        if (off + len + tagLength > buf.length) return SrtpStatus.NO_ROOM;
        int ssrc = readInt(buf, off + 8);
        SsrcState state = find(ssrc);
        if (state == null) {
            if (streamCount == MAX_STREAMS) return SrtpStatus.TOO_MANY_STREAMS;
            state = add(new SsrcState(ssrc));
        }
        long index = state.estimateIndex(readShort(buf, off + 2));
        if (index < 0) return (int) index;
        int replay = state.checkRtp(index);   // never reuse an index: it would reuse keystream
        if (replay < 0) return replay;
        SrtpScratch scratch = SrtpScratch.current();
        if (profile.aead()) {
            rtpGcmIv(scratch, ssrc, index);
            int result = gcm(scratch, Cipher.ENCRYPT_MODE, rtpGcmKey, buf, off, header, null, off + header, len - header);
            if (result < 0) return result;
        } else {
            rtpCm.apply(scratch, cmIv(scratch, rtpSalt, ssrc, index), buf, off + header, len - header);
            rtpTag(scratch, buf, off, len, SsrcState.rocOf(index));
            System.arraycopy(scratch.mac, 0, buf, off + len, tagLength);
        }
        state.acceptRtp(index);
        return len + tagLength;
    }

    /**
     * Checks the replay window and tag of the SRTP packet in {@code buf[off, off + len)}, decrypts it in place and
     * returns the RTP length, or a negative {@link SrtpStatus}; state moves only for authentic packets.
     */
    public int unprotectRtp(byte[] buf, int off, int len) {
        checkBounds(buf, off, len);
        int tagLength = profile.rtpTagLength();
        if (len < RTP_FIXED_HEADER + tagLength) return SrtpStatus.TOO_SHORT;
        int rtpLength = len - tagLength;
        int header = rtpHeaderLength(buf, off, rtpLength);
        if (header < 0) return header;
        SsrcState state = stateForReceiving(readInt(buf, off + 8));
        if (state == null) return SrtpStatus.TOO_MANY_STREAMS;
        long index = state.estimateIndex(readShort(buf, off + 2));
        if (index < 0) return (int) index;
        int replay = state.checkRtp(index);
        if (replay < 0) return replay;
        SrtpScratch scratch = SrtpScratch.current();
        if (profile.aead()) {
            rtpGcmIv(scratch, state.ssrc, index);
            int result = gcm(scratch, Cipher.DECRYPT_MODE, rtpGcmKey, buf, off, header, null, off + header, len - header);
            if (result < 0) return result;
        } else {
            rtpTag(scratch, buf, off, rtpLength, SsrcState.rocOf(index));
            if (!tagMatches(scratch.mac, buf, off + rtpLength, tagLength)) return SrtpStatus.AUTH_FAILED;
            rtpCm.apply(scratch, cmIv(scratch, rtpSalt, state.ssrc, index), buf, off + header, rtpLength - header);
        }
        keep(state).acceptRtp(index);
        return rtpLength;
    }

    /**
     * Encrypts and authenticates the RTCP compound packet in {@code buf[off, off + len)} in place, appends the
     * E-flag, SRTCP index and tag (RFC 3711 §3.4, RFC 7714 §9), and returns the new length
     * ({@code len + profile().rtcpOverhead()}) or a negative {@link SrtpStatus}.
     */
    public int protectRtcp(byte[] buf, int off, int len) {
        checkBounds(buf, off, len);
        int header = rtcpHeaderCheck(buf, off, len);
        if (header < 0) return header;
        if (off + len + profile.rtcpOverhead() > buf.length) return SrtpStatus.NO_ROOM;
        int ssrc = readInt(buf, off + 4);
        SsrcState state = find(ssrc);
        if (state == null) {
            if (streamCount == MAX_STREAMS) return SrtpStatus.TOO_MANY_STREAMS;
            state = add(new SsrcState(ssrc));
        }
        long index = state.takeRtcpIndex();
        if (index < 0) return (int) index;
        int eIndex = E_FLAG | (int) index;
        int tagLength = profile.rtcpTagLength();
        SrtpScratch scratch = SrtpScratch.current();
        if (profile.aead()) {
            rtcpGcmIv(scratch, ssrc, index);
            writeInt(scratch.word, 0, eIndex);
            int result = gcm(scratch, Cipher.ENCRYPT_MODE, rtcpGcmKey, buf, off, RTCP_FIXED_HEADER, scratch.word,
                    off + RTCP_FIXED_HEADER, len - RTCP_FIXED_HEADER);
            if (result < 0) return result;
            writeInt(buf, off + len + tagLength, eIndex);
        } else {
            rtcpCm.apply(scratch, cmIv(scratch, rtcpSalt, ssrc, index), buf, off + RTCP_FIXED_HEADER, len - RTCP_FIXED_HEADER);
            writeInt(buf, off + len, eIndex);
            rtcpMac.start(scratch);
            scratch.sha1.update(buf, off, len + 4);
            rtcpMac.finish(scratch);
            System.arraycopy(scratch.mac, 0, buf, off + len + 4, tagLength);
        }
        return len + 4 + tagLength;
    }

    /**
     * Checks the SRTCP index against the replay window and the tag, decrypts in place when the E-flag is set, and
     * returns the RTCP length or a negative {@link SrtpStatus}.
     */
    public int unprotectRtcp(byte[] buf, int off, int len) {
        checkBounds(buf, off, len);
        int tagLength = profile.rtcpTagLength();
        if (len < RTCP_FIXED_HEADER + 4 + tagLength) return SrtpStatus.TOO_SHORT;
        int header = rtcpHeaderCheck(buf, off, len);
        if (header < 0) return header;
        // CM: header | payload | E+index | tag.  GCM: header | payload+tag | E+index (RFC 7714 §9.1).
        int eIndexAt = profile.aead() ? off + len - 4 : off + len - tagLength - 4;
        int eIndex = readInt(buf, eIndexAt);
        boolean encrypted = (eIndex & E_FLAG) != 0;
        long index = eIndex & 0x7FFF_FFFFL;
        int rtcpLength = len - 4 - tagLength;
        SsrcState state = stateForReceiving(readInt(buf, off + 4));
        if (state == null) return SrtpStatus.TOO_MANY_STREAMS;
        int replay = state.checkRtcp(index);
        if (replay < 0) return replay;
        SrtpScratch scratch = SrtpScratch.current();
        if (profile.aead()) {
            rtcpGcmIv(scratch, state.ssrc, index);
            byte[] word = scratch.word;
            System.arraycopy(buf, eIndexAt, word, 0, 4);
            int result = encrypted
                    ? gcm(scratch, Cipher.DECRYPT_MODE, rtcpGcmKey, buf, off, RTCP_FIXED_HEADER, word,
                            off + RTCP_FIXED_HEADER, len - 4 - RTCP_FIXED_HEADER)
                    : gcm(scratch, Cipher.DECRYPT_MODE, rtcpGcmKey, buf, off, rtcpLength, word, off + rtcpLength, tagLength);
            if (result < 0) return result;
        } else {
            rtcpMac.start(scratch);
            scratch.sha1.update(buf, off, rtcpLength + 4);
            rtcpMac.finish(scratch);
            if (!tagMatches(scratch.mac, buf, off + rtcpLength + 4, tagLength)) return SrtpStatus.AUTH_FAILED;
            if (encrypted) {
                rtcpCm.apply(scratch, cmIv(scratch, rtcpSalt, state.ssrc, index), buf, off + RTCP_FIXED_HEADER,
                        rtcpLength - RTCP_FIXED_HEADER);
            }
        }
        keep(state).acceptRtcp(index);
        return rtcpLength;
    }

    /** Number of SSRCs this context tracks. */
    public int streamCount() { return streamCount; }

    /** Starts SRTCP numbering for {@code ssrc} at {@code index}, for resuming a stream and for RFC vectors. */
    void startRtcpIndexAt(int ssrc, long index) {
        SsrcState state = find(ssrc);
        if (state == null) state = add(new SsrcState(ssrc));
        state.rtcpNextIndex = index;
    }

    // RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16). Returns the scratch's iv, filled.
    private static byte[] cmIv(SrtpScratch scratch, byte[] salt, int ssrc, long index) {
        byte[] iv = scratch.iv;
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[14] = 0;
        iv[15] = 0;
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        for (int i = 0; i < 6; i++) {
            iv[13 - i] ^= (byte) (index >>> (8 * i));
        }
        return iv;
    }

    // RFC 7714 §8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt.
    private void rtpGcmIv(SrtpScratch scratch, int ssrc, long index) {
        byte[] gcmIv = scratch.gcmIv;
        gcmIv[0] = 0;
        gcmIv[1] = 0;
        writeInt(gcmIv, 2, ssrc);
        writeInt(gcmIv, 6, SsrcState.rocOf(index));
        gcmIv[10] = (byte) (index >>> 8);
        gcmIv[11] = (byte) index;
        for (int i = 0; i < 12; i++) gcmIv[i] ^= rtpSalt[i];
    }

    // RFC 7714 §9.1: IV = (00 00 || SSRC || 00 00 || 0 + SRTCP index) XOR salt.
    private void rtcpGcmIv(SrtpScratch scratch, int ssrc, long index) {
        byte[] gcmIv = scratch.gcmIv;
        gcmIv[0] = 0;
        gcmIv[1] = 0;
        writeInt(gcmIv, 2, ssrc);
        gcmIv[6] = 0;
        gcmIv[7] = 0;
        writeInt(gcmIv, 8, (int) index);
        for (int i = 0; i < 12; i++) gcmIv[i] ^= rtcpSalt[i];
    }

    /** AES-GCM over {@code buf[dataOff, +dataLen)} in place, with AAD {@code buf[aadOff, +aadLen) || aadTail}. */
    private int gcm(SrtpScratch scratch, int mode, SecretKeySpec key, byte[] buf, int aadOff, int aadLen,
                    byte[] aadTail, int dataOff, int dataLen) {
        try {
            gcm.init(mode, key, new GCMParameterSpec(GCM_TAG_BITS, scratch.gcmIv));
            gcm.updateAAD(buf, aadOff, aadLen);
            if (aadTail != null) gcm.updateAAD(aadTail, 0, aadTail.length);
            return gcm.doFinal(buf, dataOff, dataLen, buf, dataOff);
        } catch (AEADBadTagException e) {
            return SrtpStatus.AUTH_FAILED;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed on a well-formed " + dataLen + "-byte input", e);
        }
    }

    // RFC 3711 §4.2: the RTP tag covers the authenticated portion followed by the 32-bit ROC.
    private void rtpTag(SrtpScratch scratch, byte[] buf, int off, int len, int roc) {
        rtpMac.start(scratch);
        scratch.sha1.update(buf, off, len);
        writeInt(scratch.word, 0, roc);
        scratch.sha1.update(scratch.word, 0, 4);
        rtpMac.finish(scratch);
    }

    private static boolean tagMatches(byte[] mac, byte[] buf, int at, int tagLength) {
        int diff = 0;
        for (int i = 0; i < tagLength; i++) diff |= buf[at + i] ^ mac[i];
        return diff == 0;
    }

    private SsrcState find(int ssrc) {
        for (int i = 0; i < streamCount; i++) {
            if (streams[i].ssrc == ssrc) return streams[i];
        }
        return null;
    }

    private SsrcState add(SsrcState state) {
        if (streamCount == streams.length) streams = Arrays.copyOf(streams, streams.length * 2);
        streams[streamCount++] = state;
        return state;
    }

    /** The known state for {@code ssrc}, or the scratch candidate for a new one; null when the table is full. */
    private SsrcState stateForReceiving(int ssrc) {
        SsrcState state = find(ssrc);
        if (state != null) return state;
        if (streamCount == MAX_STREAMS) return null;
        candidate.resetTo(ssrc);
        return candidate;
    }

    /** Makes an authenticated candidate permanent: the only per-SSRC allocation, once per new stream. */
    private SsrcState keep(SsrcState state) {
        if (state != candidate) return state;
        SsrcState kept = new SsrcState(state.ssrc);
        kept.copyFrom(state);
        return add(kept);
    }

    /** RFC 3550 §5.1 header length, or TOO_SHORT/MALFORMED. */
    private static int rtpHeaderLength(byte[] buf, int off, int len) {
        if (len < RTP_FIXED_HEADER) return SrtpStatus.TOO_SHORT;
        int first = buf[off] & 0xff;
        if (first >>> 6 != 2) return SrtpStatus.MALFORMED;
        int header = RTP_FIXED_HEADER + 4 * (first & 0x0f);
        if ((first & 0x10) != 0) {
            if (header + 4 > len) return SrtpStatus.MALFORMED;
            header += 4 + 4 * readShort(buf, off + header + 2);
        }
        return header > len ? SrtpStatus.MALFORMED : header;
    }

    private static int rtcpHeaderCheck(byte[] buf, int off, int len) {
        if (len < RTCP_FIXED_HEADER) return SrtpStatus.TOO_SHORT;
        return (buf[off] & 0xff) >>> 6 == 2 ? RTCP_FIXED_HEADER : SrtpStatus.MALFORMED;
    }

    private static void checkBounds(byte[] buf, int off, int len) {
        if (buf == null) throw new IllegalArgumentException("packet buffer is null");
        if (off < 0 || len < 0 || off > buf.length - len) {
            throw new IllegalArgumentException("packet [" + off + ", +" + len + ") lies outside a " + buf.length + "-byte buffer");
        }
    }

    private static int readShort(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
    }

    private static void writeInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}

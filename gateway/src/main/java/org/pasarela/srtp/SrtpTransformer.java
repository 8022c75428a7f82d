package org.pasarela.srtp;

import java.util.Arrays;

/**
 * SRTP and SRTCP for one DTLS-SRTP association: packets we send are protected with our master key, packets we
 * receive are unprotected with the peer's (RFC 5764 §4.2). All four calls work in place on
 * {@code buf[off, off + len)} and return the new length or a negative {@link SrtpStatus}; no exception and, on the
 * AES-CM profiles, no allocation per packet.
 *
 * <p>Threading: the sending side ({@link #protect}, {@link #protectRtcp}) and the receiving side
 * ({@link #unprotect}, {@link #unprotectRtcp}) are independent {@link SrtpContext}s; each side must be driven by
 * one thread at a time, and the two sides may run on different threads.
 */
public final class SrtpTransformer {
    private final SrtpContext outbound;
    private final SrtpContext inbound;

    public SrtpTransformer(SrtpProfile profile, byte[] localMasterKey, byte[] localMasterSalt,
                           byte[] remoteMasterKey, byte[] remoteMasterSalt) {
        this(new SrtpContext(profile, localMasterKey, localMasterSalt),
                new SrtpContext(profile, remoteMasterKey, remoteMasterSalt));
    }

    SrtpTransformer(SrtpContext outbound, SrtpContext inbound) {
        this.outbound = outbound;
        this.inbound = inbound;
    }

    /**
     * Splits DTLS-SRTP keying material, {@code client_write_key || server_write_key || client_write_salt ||
     * server_write_salt} (RFC 5764 §4.2), and assigns the halves by our DTLS role.
     */
    public static SrtpTransformer fromDtlsKeyingMaterial(SrtpProfile profile, byte[] material, boolean weAreDtlsClient) {
        if (profile == null) throw new IllegalArgumentException("SRTP profile is missing");
        int expected = profile.keyingMaterialLength();
        if (material == null || material.length != expected) {
            throw new IllegalArgumentException("DTLS-SRTP keying material is "
                    + (material == null ? "missing" : material.length + " bytes") + "; " + profile + " needs " + expected);
        }
        int k = profile.masterKeyLength();
        int s = profile.masterSaltLength();
        byte[] clientKey = Arrays.copyOfRange(material, 0, k);
        byte[] serverKey = Arrays.copyOfRange(material, k, 2 * k);
        byte[] clientSalt = Arrays.copyOfRange(material, 2 * k, 2 * k + s);
        byte[] serverSalt = Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s);
        return weAreDtlsClient
                ? new SrtpTransformer(profile, clientKey, clientSalt, serverKey, serverSalt)
                : new SrtpTransformer(profile, serverKey, serverSalt, clientKey, clientSalt);
    }

    public SrtpProfile profile() { return outbound.profile(); }

    /** Protects an outgoing RTP packet; needs {@code profile().rtpTagLength()} spare bytes after it. */
    public int protect(byte[] buf, int off, int len) { return outbound.protectRtp(buf, off, len); }

    /** Unprotects an incoming SRTP packet and returns the plain RTP length. */
    public int unprotect(byte[] buf, int off, int len) { return inbound.unprotectRtp(buf, off, len); }

    /** Protects an outgoing RTCP compound packet; needs {@code profile().rtcpOverhead()} spare bytes after it. */
    public int protectRtcp(byte[] buf, int off, int len) { return outbound.protectRtcp(buf, off, len); }

    /** Unprotects an incoming SRTCP packet and returns the plain RTCP length. */
    public int unprotectRtcp(byte[] buf, int off, int len) { return inbound.unprotectRtcp(buf, off, len); }
}

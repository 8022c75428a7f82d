package org.pasarela.srtp;

/**
 * The negative results of {@link SrtpTransformer} and {@link SrtpContext} calls. The per-packet path returns these
 * instead of throwing, because a forged or replayed packet is an expected input, not a bug.
 */
public final class SrtpStatus {
    /** Shorter than a header plus the tag (and SRTCP index). */
    public static final int TOO_SHORT = -1;
    /** Not version 2, or the header (CSRCs, extension) runs past the end of the packet. */
    public static final int MALFORMED = -2;
    /** The authentication tag does not match (RFC 3711 §3.3 step 5, RFC 7714 §9). */
    public static final int AUTH_FAILED = -3;
    /** This packet index was already seen (RFC 3711 §3.3.2). */
    public static final int REPLAYED = -4;
    /** The packet index is older than the replay window (RFC 3711 §3.3.2). */
    public static final int TOO_OLD = -5;
    /** The buffer has no room after the packet for the tag (and SRTCP index). */
    public static final int NO_ROOM = -6;
    /** The context already tracks {@link SrtpContext#MAX_STREAMS} SSRCs. */
    public static final int TOO_MANY_STREAMS = -7;
    /** The ROC or SRTCP index would wrap: the master key must be replaced (RFC 3711 §9.2). */
    public static final int INDEX_EXHAUSTED = -8;

    private SrtpStatus() {}

    /** A short English description of a result code, for logs and metrics labels. */
    public static String describe(int code) {
        if (code >= 0) return "ok (" + code + " bytes)";
        switch (code) {
            case TOO_SHORT: return "packet too short";
            case MALFORMED: return "malformed header";
            case AUTH_FAILED: return "authentication failed";
            case REPLAYED: return "replayed packet";
            case TOO_OLD: return "packet older than the replay window";
            case NO_ROOM: return "no room in buffer for the tag";
            case TOO_MANY_STREAMS: return "too many SSRCs";
            case INDEX_EXHAUSTED: return "packet index exhausted; rekey";
            default: return "unknown status " + code;
        }
    }
}

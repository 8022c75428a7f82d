package org.pasarela.stun;

/**
 * STUN attribute types that ICE needs (RFC 8489 §18.3, RFC 8445 §16.1), plus the few others we recognise by name.
 *
 * <p>Types 0x0000-0x7FFF are comprehension-required: an agent that does not understand one in a request must reject
 * it with 420 (RFC 8489 §6.3.1.1). Types 0x8000-0xFFFF are comprehension-optional and are skipped.
 */
public final class StunAttribute {
    public static final int MAPPED_ADDRESS = 0x0001;
    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    public static final int REALM = 0x0014;
    public static final int NONCE = 0x0015;
    public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    public static final int PRIORITY = 0x0024;
    public static final int USE_CANDIDATE = 0x0025;
    public static final int SOFTWARE = 0x8022;
    public static final int FINGERPRINT = 0x8028;
    public static final int ICE_CONTROLLED = 0x8029;
    public static final int ICE_CONTROLLING = 0x802A;
    /** Chromium's network id and cost, comprehension-optional; see vectors/stun/README.md. */
    public static final int GOOG_NETWORK_INFO = 0xC057;

    private StunAttribute() {
    }

    public static boolean isComprehensionRequired(int type) {
        return type < 0x8000;
    }

    /**
     * Whether this implementation understands a comprehension-required type. REALM, NONCE and
     * MESSAGE-INTEGRITY-SHA256 belong to long-term credentials and RFC 8489 integrity, which ICE's short-term
     * checks (RFC 8445 §7.2.2) do not use; a request that carries them gets 420 and the peer can retry without.
     */
    static boolean isUnderstood(int type) {
        return switch (type) {
            case MAPPED_ADDRESS, USERNAME, MESSAGE_INTEGRITY, ERROR_CODE, UNKNOWN_ATTRIBUTES, XOR_MAPPED_ADDRESS,
                    PRIORITY, USE_CANDIDATE -> true;
            default -> !isComprehensionRequired(type);
        };
    }
}

package org.pasarela.transport.dtls;

import org.pasarela.srtp.SrtpProfile;
import java.util.Arrays;
import java.util.Objects;

/**
 * The SRTP master keys and salts a DTLS-SRTP handshake produced (RFC 5764 §4.2), for the negotiated profile.
 *
 * <p>RFC 5764 names them by DTLS role (client_write, server_write); {@link #localMasterKey()} and friends map
 * them to "what we encrypt with" and "what the peer encrypts with" using {@link #localRole()}. Arrays are copied
 * in and out, and {@code toString()} never prints key bytes.
 */
public record SrtpKeyingMaterial(SrtpProfile profile, DtlsRole localRole, byte[] clientMasterKey,
                                 byte[] clientMasterSalt, byte[] serverMasterKey, byte[] serverMasterSalt) {

    public static final String EXPORTER_LABEL = "EXTRACTOR-dtls_srtp";

    public SrtpKeyingMaterial {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(localRole, "localRole");
        clientMasterKey = checked(clientMasterKey, profile.masterKeyLength(), "client master key", profile);
        serverMasterKey = checked(serverMasterKey, profile.masterKeyLength(), "server master key", profile);
        clientMasterSalt = checked(clientMasterSalt, profile.masterSaltLength(), "client master salt", profile);
        serverMasterSalt = checked(serverMasterSalt, profile.masterSaltLength(), "server master salt", profile);
    }

    /**
     * Splits the exporter output as RFC 5764 §4.2 lays it out: client_write_SRTP_master_key,
     * server_write_SRTP_master_key, client_write_SRTP_master_salt, server_write_SRTP_master_salt.
     */
    public static SrtpKeyingMaterial fromExporterOutput(SrtpProfile profile, DtlsRole localRole, byte[] exported) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(exported, "exported");
        if (exported.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException(profile + ": exporter output is " + exported.length
                    + " bytes, expected " + profile.keyingMaterialLength());
        }
        int key = profile.masterKeyLength();
        int salt = profile.masterSaltLength();
        return new SrtpKeyingMaterial(profile, localRole,
                Arrays.copyOfRange(exported, 0, key),
                Arrays.copyOfRange(exported, 2 * key, 2 * key + salt),
                Arrays.copyOfRange(exported, key, 2 * key),
                Arrays.copyOfRange(exported, 2 * key + salt, 2 * key + 2 * salt));
    }

    @Override public byte[] clientMasterKey() { return clientMasterKey.clone(); }
    @Override public byte[] clientMasterSalt() { return clientMasterSalt.clone(); }
    @Override public byte[] serverMasterKey() { return serverMasterKey.clone(); }
    @Override public byte[] serverMasterSalt() { return serverMasterSalt.clone(); }

    /** The key we protect outgoing SRTP with. */
    public byte[] localMasterKey() {
        return localRole == DtlsRole.CLIENT ? clientMasterKey() : serverMasterKey();
    }

    public byte[] localMasterSalt() {
        return localRole == DtlsRole.CLIENT ? clientMasterSalt() : serverMasterSalt();
    }

    /** The key the peer protects its SRTP with, which we unprotect incoming packets with. */
    public byte[] remoteMasterKey() {
        return localRole == DtlsRole.CLIENT ? serverMasterKey() : clientMasterKey();
    }

    public byte[] remoteMasterSalt() {
        return localRole == DtlsRole.CLIENT ? serverMasterSalt() : clientMasterSalt();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrtpKeyingMaterial other && profile == other.profile && localRole == other.localRole
                && Arrays.equals(clientMasterKey, other.clientMasterKey)
                && Arrays.equals(clientMasterSalt, other.clientMasterSalt)
                && Arrays.equals(serverMasterKey, other.serverMasterKey)
                && Arrays.equals(serverMasterSalt, other.serverMasterSalt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(profile, localRole, Arrays.hashCode(clientMasterKey), Arrays.hashCode(serverMasterKey));
    }

    @Override
    public String toString() {
        return "SrtpKeyingMaterial[" + profile + ", local " + localRole + ", keys redacted]";
    }

    private static byte[] checked(byte[] value, int length, String what, SrtpProfile profile) {
        Objects.requireNonNull(value, what);
        if (value.length != length) {
            throw new IllegalArgumentException(profile + ": " + what + " is " + value.length + " bytes, expected "
                    + length);
        }
        return value.clone();
    }
}

package org.pasarela.transport.dtls;

import org.pasarela.srtp.SrtpProfile;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * Tunables of a {@link DtlsEndpoint}.
 *
 * @param srtpProfiles SRTP profiles we offer (client) or accept (server), most preferred first
 * @param handshakeTimeout the whole handshake must finish within this, retransmissions included
 * @param initialRetransmitTimeout first DTLS retransmission timer; RFC 6347 §4.2.4.1 suggests 1 s, doubled on
 *     each retransmission by Bouncy Castle
 * @param inboundQueueCapacity datagrams buffered for the handshake thread; beyond it new datagrams are dropped
 */
public record DtlsOptions(List<SrtpProfile> srtpProfiles, Duration handshakeTimeout,
                          Duration initialRetransmitTimeout, int inboundQueueCapacity) {

    /** What Chromium offers, in Chromium's order: GCM first, then the two RFC 5764 HMAC profiles. */
    public static final List<SrtpProfile> WEBRTC_PROFILES = List.of(SrtpProfile.AEAD_AES_128_GCM,
            SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AES_CM_128_HMAC_SHA1_32);

    public DtlsOptions {
        Objects.requireNonNull(srtpProfiles, "srtpProfiles");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(initialRetransmitTimeout, "initialRetransmitTimeout");
        if (srtpProfiles.isEmpty()) {
            throw new IllegalArgumentException("srtpProfiles must list at least one SRTP profile");
        }
        if (EnumSet.copyOf(srtpProfiles).size() != srtpProfiles.size()) {
            throw new IllegalArgumentException("srtpProfiles lists a profile twice: " + srtpProfiles);
        }
        if (handshakeTimeout.toMillis() < 1 || handshakeTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("handshakeTimeout " + handshakeTimeout + ": expected 1 ms .. 24 days");
        }
        if (initialRetransmitTimeout.toMillis() < 1 || initialRetransmitTimeout.compareTo(handshakeTimeout) > 0) {
            throw new IllegalArgumentException("initialRetransmitTimeout " + initialRetransmitTimeout
                    + ": expected 1 ms .. handshakeTimeout (" + handshakeTimeout + ")");
        }
        if (inboundQueueCapacity < 4) {
            throw new IllegalArgumentException("inboundQueueCapacity " + inboundQueueCapacity
                    + ": expected at least 4 (one fragmented flight)");
        }
        srtpProfiles = List.copyOf(srtpProfiles);
    }

    public static DtlsOptions defaults() {
        return new DtlsOptions(WEBRTC_PROFILES, Duration.ofSeconds(10), Duration.ofSeconds(1), 64);
    }

    public DtlsOptions withSrtpProfiles(List<SrtpProfile> profiles) {
        return new DtlsOptions(profiles, handshakeTimeout, initialRetransmitTimeout, inboundQueueCapacity);
    }

    public DtlsOptions withHandshakeTimeout(Duration timeout) {
        return new DtlsOptions(srtpProfiles, timeout, initialRetransmitTimeout, inboundQueueCapacity);
    }

    public DtlsOptions withInitialRetransmitTimeout(Duration timeout) {
        return new DtlsOptions(srtpProfiles, handshakeTimeout, timeout, inboundQueueCapacity);
    }

    public DtlsOptions withInboundQueueCapacity(int capacity) {
        return new DtlsOptions(srtpProfiles, handshakeTimeout, initialRetransmitTimeout, capacity);
    }
}

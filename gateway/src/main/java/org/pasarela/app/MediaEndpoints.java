package org.pasarela.app;

import java.security.SecureRandom;
import java.time.Duration;
import org.pasarela.bridge.LocalMedia;
import org.pasarela.transport.dtls.DtlsCertificate;
import org.pasarela.transport.ice.IceCredentials;
import org.pasarela.transport.rtp.MediaPorts;
import org.pasarela.transport.rtp.MediaUnavailableException;
import org.pasarela.transport.rtp.PortAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each new call its sockets and its ICE/DTLS identity, as one {@link LocalMedia} value for the core; or
 * refuses it while the media relay has no room, so that the calls already relayed keep their audio.
 */
final class MediaEndpoints {
    private static final Logger log = LoggerFactory.getLogger(MediaEndpoints.class);
    /** Refusals come in floods when the relay is saturated: one warning per this, the rest at DEBUG. */
    private static final Duration REFUSAL_WARNING_INTERVAL = Duration.ofSeconds(10);

    /** Whether the media relay can take one more call ({@code MediaRelay::checkRoom}). */
    @FunctionalInterface
    interface Room {
        void check() throws MediaUnavailableException;
    }

    private final String mediaAddress;
    private final PortAllocator ports;
    private final DtlsCertificate certificate;
    private final SecureRandom random;
    private final Room room;
    private final WarningThrottle refusals = new WarningThrottle(REFUSAL_WARNING_INTERVAL);

    MediaEndpoints(String mediaAddress, PortAllocator ports, DtlsCertificate certificate, SecureRandom random,
                   Room room) {
        this.mediaAddress = mediaAddress;
        this.ports = ports;
        this.certificate = certificate;
        this.random = random;
        this.room = room;
    }

    /** A call's media endpoints: the value the SDP is written from, and the sockets behind it. */
    record Allocation(LocalMedia local, MediaPorts ports) {}

    /** @throws MediaUnavailableException no room or no ports for call {@code callId}; logged here, throttled */
    Allocation allocate(String callId) throws MediaUnavailableException {
        MediaPorts bound;
        try {
            room.check(); // before binding: a refused call holds nothing
            bound = ports.allocate();
        } catch (MediaUnavailableException e) {
            String warning = refusals.warning("call " + callId + ": " + e.getMessage(), System.nanoTime());
            if (warning != null) {
                log.warn(warning);
            } else {
                log.debug("call {}: {}", callId, e.getMessage());
            }
            throw e;
        }
        try {
            IceCredentials ice = IceCredentials.random(random);
            // o= session ids need only be unique; 62 random bits keep them positive and clear of NTP-looking values.
            long sessionId = random.nextLong() >>> 2;
            LocalMedia local = new LocalMedia(mediaAddress, bound.browserPort(), bound.sipRtpPort(), ice.ufrag(),
                    ice.pwd(), certificate.fingerprintSha256(), sessionId, 1);
            return new Allocation(local, bound);
        } catch (RuntimeException e) {
            bound.close(); // the sockets belong to nobody yet: never leak them
            throw e;
        }
    }

    int socketsInUse() {
        return ports.socketsInUse();
    }
}

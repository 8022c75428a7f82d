package org.pasarela.app;

import java.security.SecureRandom;
import org.pasarela.bridge.LocalMedia;
import org.pasarela.transport.dtls.DtlsCertificate;
import org.pasarela.transport.ice.IceCredentials;
import org.pasarela.transport.rtp.MediaPorts;
import org.pasarela.transport.rtp.MediaUnavailableException;
import org.pasarela.transport.rtp.PortAllocator;

/**
 * Gives each new call its sockets and its ICE/DTLS identity, as one {@link LocalMedia} value for the core; or
 * refuses it while the media relay has no room, so that the calls already relayed keep their audio.
 */
final class MediaEndpoints {
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

    Allocation allocate() throws MediaUnavailableException {
        room.check(); // before binding: a refused call holds nothing
        MediaPorts bound = ports.allocate();
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

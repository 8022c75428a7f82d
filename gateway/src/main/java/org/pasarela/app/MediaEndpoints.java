package org.pasarela.app;

import java.security.SecureRandom;
import java.util.function.IntSupplier;
import org.pasarela.bridge.LocalMedia;
import org.pasarela.transport.dtls.DtlsCertificate;
import org.pasarela.transport.ice.IceCredentials;
import org.pasarela.transport.rtp.MediaBusyException;
import org.pasarela.transport.rtp.MediaPorts;
import org.pasarela.transport.rtp.MediaUnavailableException;
import org.pasarela.transport.rtp.PortAllocator;

/**
 * Gives each new call its sockets and its ICE/DTLS identity, as one {@link LocalMedia} value for the core; or
 * refuses it while the media relay is saturated, so that the calls already relayed keep their audio.
 */
final class MediaEndpoints {
    /** {@code media.max-busy-percent} that never refuses a call. */
    static final int NEVER_REFUSE = 0;

    private final String mediaAddress;
    private final PortAllocator ports;
    private final DtlsCertificate certificate;
    private final SecureRandom random;
    private final IntSupplier leastBusyPercent;
    private final int maxBusyPercent;

    /**
     * @param leastBusyPercent how busy the least busy media loop was over the last second
     * @param maxBusyPercent   refuse new calls from this value on; {@link #NEVER_REFUSE} never
     */
    MediaEndpoints(String mediaAddress, PortAllocator ports, DtlsCertificate certificate, SecureRandom random,
                   IntSupplier leastBusyPercent, int maxBusyPercent) {
        this.mediaAddress = mediaAddress;
        this.ports = ports;
        this.certificate = certificate;
        this.random = random;
        this.leastBusyPercent = leastBusyPercent;
        this.maxBusyPercent = maxBusyPercent;
    }

    /** A call's media endpoints: the value the SDP is written from, and the sockets behind it. */
    record Allocation(LocalMedia local, MediaPorts ports) {}

    Allocation allocate() throws MediaUnavailableException {
        if (maxBusyPercent != NEVER_REFUSE) {
            int busy = leastBusyPercent.getAsInt();
            if (busy >= maxBusyPercent) {
                throw new MediaBusyException(busy, maxBusyPercent);
            }
        }
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

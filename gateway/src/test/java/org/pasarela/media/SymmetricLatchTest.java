package org.pasarela.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.pasarela.media.SymmetricLatch.Verdict;

class SymmetricLatchTest {

    static final long MS = 1_000_000L;
    static final long T0 = 10_000 * MS;
    static final InetSocketAddress ADVERTISED = address("192.168.1.20", 4000);
    static final InetSocketAddress NAT = address("203.0.113.7", 61000);
    static final InetSocketAddress NAT_RTCP = address("203.0.113.7", 61001);
    static final InetSocketAddress ATTACKER = address("198.51.100.66", 4000);

    private final SymmetricLatch latch = SymmetricLatch.forRtp(ADVERTISED, T0);

    static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private Verdict rtp(InetSocketAddress from, int ssrc, int seq, long at) {
        return latch.onPacket(from, true, ssrc, seq, at);
    }

    @Test
    void packetsFromTheAdvertisedAddressAreAcceptedAndLockTheLatch() {
        assertThat(latch.destination()).isEqualTo(ADVERTISED);
        assertThat(rtp(ADVERTISED, 1, 10, T0)).isEqualTo(Verdict.LATCHED);
        assertThat(rtp(ADVERTISED, 1, 11, T0 + 20 * MS)).isEqualTo(Verdict.ACCEPT);
        for (int i = 0; i < 10; i++) assertThat(rtp(NAT, 2, 100 + i, T0 + 40 * MS)).isEqualTo(Verdict.DROP);
        assertThat(latch.destination()).isEqualTo(ADVERTISED);
        assertThat(latch.droppedPackets()).isEqualTo(10);
    }

    @Test
    void latchesOntoANattedSourceAfterFourConsecutivePacketsOfOneSsrc() {
        assertThat(rtp(NAT, 7, 100, T0 + 100 * MS)).isEqualTo(Verdict.DROP);
        assertThat(rtp(NAT, 7, 101, T0 + 120 * MS)).isEqualTo(Verdict.DROP);
        assertThat(rtp(NAT, 7, 102, T0 + 140 * MS)).isEqualTo(Verdict.DROP);
        assertThat(latch.isLatched()).isFalse();
        assertThat(rtp(NAT, 7, 103, T0 + 160 * MS)).isEqualTo(Verdict.LATCHED);
        assertThat(latch.destination()).isEqualTo(NAT);
        assertThat(rtp(NAT, 7, 104, T0 + 180 * MS)).isEqualTo(Verdict.ACCEPT);
        assertThat(rtp(ADVERTISED, 7, 105, T0 + 200 * MS)).as("latched once, even away from the SDP address")
                .isEqualTo(Verdict.DROP);
    }

    @Test
    void probationRestartsOnAGapADifferentSsrcOrAnInterleavedSource() {
        rtp(NAT, 7, 100, T0);
        rtp(NAT, 7, 101, T0);
        rtp(NAT, 7, 103, T0);                // gap
        rtp(NAT, 7, 104, T0);
        rtp(NAT, 8, 105, T0);                // other SSRC
        rtp(NAT, 8, 106, T0);
        rtp(ATTACKER, 8, 107, T0);           // someone else in between
        rtp(NAT, 8, 108, T0);
        rtp(NAT, 8, 109, T0);
        assertThat(latch.isLatched()).isFalse();
        rtp(NAT, 8, 110, T0);
        assertThat(rtp(NAT, 8, 111, T0)).isEqualTo(Verdict.LATCHED);
    }

    @Test
    void sequenceWrapCountsAsConsecutiveInProbation() {
        rtp(NAT, 7, 65534, T0);
        rtp(NAT, 7, 65535, T0);
        rtp(NAT, 7, 0, T0);
        assertThat(rtp(NAT, 7, 1, T0)).isEqualTo(Verdict.LATCHED);
    }

    @Test
    void noLatchingElsewhereAfterTheWindow() {
        long late = T0 + SymmetricLatch.RTP_WINDOW_NANOS + MS;
        for (int i = 0; i < 10; i++) assertThat(rtp(NAT, 7, 100 + i, late)).isEqualTo(Verdict.DROP);
        assertThat(latch.destination()).isEqualTo(ADVERTISED);
        assertThat(rtp(ADVERTISED, 7, 200, late)).as("the SDP address is still welcome").isEqualTo(Verdict.LATCHED);
    }

    @Test
    void unwantedPacketsNeitherLatchNorPass() {
        assertThat(latch.onPacket(ADVERTISED, false, 1, 1, T0)).isEqualTo(Verdict.DROP);
        for (int i = 0; i < 10; i++) latch.onPacket(NAT, false, 7, 100 + i, T0);
        assertThat(latch.isLatched()).isFalse();
        assertThat(latch.onPacket(null, true, 1, 1, T0)).isEqualTo(Verdict.DROP);
        assertThat(latch.droppedPackets()).isEqualTo(12);
    }

    @Test
    void afterLatchingThirdAddressesAreDroppedAndCountedForever() {
        for (int i = 0; i < 4; i++) rtp(NAT, 7, i, T0);
        for (int i = 0; i < 100; i++) assertThat(rtp(ATTACKER, 7, 4 + i, T0 + i * 20 * MS)).isEqualTo(Verdict.DROP);
        assertThat(latch.droppedPackets()).isEqualTo(3 + 100);
        assertThat(latch.destination()).isEqualTo(NAT);
    }

    @Test
    void rtcpLatchesAtOnceButOnlyOntoTheHostTheRtpLatchVetted() {
        SymmetricLatch rtcp = SymmetricLatch.forRtcp(address("192.168.1.20", 4001), latch, T0);
        assertThat(rtcp.onPacket(NAT_RTCP, true, 0, 0, T0 + 1000 * MS)).as("RTP not latched yet")
                .isEqualTo(Verdict.DROP);
        for (int i = 0; i < 4; i++) rtp(NAT, 7, i, T0 + 1000 * MS);
        assertThat(rtcp.onPacket(ATTACKER, true, 0, 0, T0 + 3000 * MS)).isEqualTo(Verdict.DROP);
        assertThat(rtcp.onPacket(NAT_RTCP, true, 0, 0, T0 + 5000 * MS)).isEqualTo(Verdict.LATCHED);
        assertThat(rtcp.destination()).isEqualTo(NAT_RTCP);
        assertThat(rtcp.onPacket(NAT_RTCP, true, 0, 0, T0 + 10000 * MS)).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void rtcpFromItsAdvertisedAddressLatchesEvenBeforeRtp() {
        InetSocketAddress advertisedRtcp = address("192.168.1.20", 4001);
        SymmetricLatch rtcp = SymmetricLatch.forRtcp(advertisedRtcp, latch, T0);
        assertThat(rtcp.onPacket(advertisedRtcp, true, 0, 0, T0)).isEqualTo(Verdict.LATCHED);
        assertThat(rtcp.destination()).isEqualTo(advertisedRtcp);
    }
}

package org.pasarela.transport.rtp;

/**
 * Every media loop was saturated over the last second: one more call would take packets from the calls already
 * relayed (on the benchmark machine, 1000 calls on a saturated relay lost a quarter of their packets and reached
 * 0.8 s of delay, and calls ended for lack of ICE consent; docs/benchmarks.md).
 */
public final class MediaBusyException extends MediaUnavailableException {
    public MediaBusyException(int leastBusyPercent, int maxBusyPercent) {
        super("media relay saturated: the least busy media thread was " + leastBusyPercent
                + " % busy over the last second, media.max-busy-percent = " + maxBusyPercent);
    }
}

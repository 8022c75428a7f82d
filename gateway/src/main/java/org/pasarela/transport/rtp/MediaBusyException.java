package org.pasarela.transport.rtp;

/**
 * Every media loop was saturated in the last few seconds: one more call would take packets from the calls already
 * relayed (on the benchmark machine, 1000 calls on a saturated relay lost a quarter of their packets and reached
 * 0.8 s of delay, and calls ended for lack of ICE consent; docs/benchmarks.md).
 */
public final class MediaBusyException extends MediaUnavailableException {
    /**
     * @param leastPeakPercent the least, over the media threads, of each one's busiest second of the last few
     */
    public MediaBusyException(int leastPeakPercent, int maxBusyPercent) {
        super("media relay saturated: every media thread was at least " + leastPeakPercent
                + " % busy in one of the last " + BusyMeter.PEAK_WINDOWS + " seconds, media.max-busy-percent = "
                + maxBusyPercent);
    }

    /**
     * The refusal goes by each loop's busiest second of the last {@link BusyMeter#PEAK_WINDOWS}: a relay saturated
     * now admits calls again no sooner than that many calm seconds later.
     */
    @Override
    public int retryAfterSeconds() {
        return BusyMeter.PEAK_WINDOWS;
    }
}

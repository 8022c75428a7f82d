package org.pasarela.transport.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BusyMeterTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long T0 = 5_000_000_000L;

    @Test
    void readsZeroUntilTheFirstWholeSecondHasPassed() {
        BusyMeter meter = new BusyMeter(T0);
        meter.roll(T0 + 999 * MS);
        assertThat(meter.percent()).isZero();
    }

    @Test
    void readsTheShareOfTheSecondSpentOutsideTheWaits() {
        BusyMeter meter = new BusyMeter(T0);
        meter.idle(100 * MS);
        meter.idle(150 * MS);
        meter.roll(T0 + 1000 * MS);
        assertThat(meter.percent()).isEqualTo(75);
    }

    @Test
    void aLoopThatNeverWaitedReadsFull() {
        BusyMeter meter = new BusyMeter(T0);
        meter.roll(T0 + 2500 * MS); // one long pass: the window is as long as it took
        assertThat(meter.percent()).isEqualTo(100);
    }

    @Test
    void eachWindowStartsAfresh() {
        BusyMeter meter = new BusyMeter(T0);
        meter.roll(T0 + 1000 * MS);
        assertThat(meter.percent()).isEqualTo(100);
        meter.idle(900 * MS);
        meter.roll(T0 + 1500 * MS);
        assertThat(meter.percent()).as("half a window: the last whole one still stands").isEqualTo(100);
        meter.roll(T0 + 2000 * MS);
        assertThat(meter.percent()).isEqualTo(10);
    }

    @Test
    void neverReadsBelowZeroNorCountsNegativeWaits() {
        BusyMeter meter = new BusyMeter(T0);
        meter.idle(-5 * MS);
        meter.idle(1200 * MS); // a wait that began before the window did
        meter.roll(T0 + 1000 * MS);
        assertThat(meter.percent()).isZero();
    }

    @Test
    void thePeakIsTheBusiestOfTheLastThreeSeconds() {
        BusyMeter meter = new BusyMeter(T0);
        meter.idle(100 * MS);
        meter.roll(T0 + 1000 * MS); // 90
        meter.idle(600 * MS);
        meter.roll(T0 + 2000 * MS); // 40
        assertThat(meter.percent()).isEqualTo(40);
        assertThat(meter.peakPercent()).as("a calm second does not hide a busy one just before").isEqualTo(90);
        meter.idle(500 * MS);
        meter.roll(T0 + 3000 * MS); // 50
        assertThat(meter.peakPercent()).isEqualTo(90);
        meter.idle(700 * MS);
        meter.roll(T0 + 4000 * MS); // 30: the 90 is now four seconds old
        assertThat(meter.peakPercent()).isEqualTo(50);
    }
}

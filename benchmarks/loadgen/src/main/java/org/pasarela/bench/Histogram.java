package org.pasarela.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/** Microsecond values in 10 us buckets up to 2 s (beyond: the last bucket); percentiles from the buckets. */
final class Histogram {
    private static final int BUCKET_US = 10;
    private final AtomicLongArray counts = new AtomicLongArray(200_001);

    void record(long micros) {
        int i = (int) Math.max(0, Math.min(counts.length() - 1, micros / BUCKET_US));
        counts.incrementAndGet(i);
    }

    long count() {
        long n = 0;
        for (int i = 0; i < counts.length(); i++) n += counts.get(i);
        return n;
    }

    /** The value (ms) below which {@code q} of the samples are, or -1 with no samples. */
    double percentileMs(double q) {
        long n = count();
        if (n == 0) return -1;
        long rank = (long) Math.ceil(q * n);
        long seen = 0;
        for (int i = 0; i < counts.length(); i++) {
            seen += counts.get(i);
            if (seen >= rank) return (i * BUCKET_US + BUCKET_US / 2.0) / 1000.0;
        }
        return -1;
    }
}

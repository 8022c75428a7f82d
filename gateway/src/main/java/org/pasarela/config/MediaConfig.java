package org.pasarela.config;

/**
 * How the media relay runs ({@code media.threads}, {@code media.calls-per-loop}, {@code media.socket-receive-buffer},
 * {@code media.max-busy-percent}).
 *
 * @param threads                  media loops, each one selector thread carrying its share of the calls; 0 = one
 *                                 per available processor
 * @param callsPerLoop             calls a loop takes before the next loop gets any (once all hold that many, each
 *                                 new call goes to the least loaded); 0 = always the least loaded
 * @param socketReceiveBufferBytes SO_RCVBUF asked for every media socket; 0 = the kernel's default
 * @param maxBusyPercent           a loop that spent at least this percent of one of the last 3 seconds working
 *                                 takes no new call, and new calls are refused (503) while every loop did;
 *                                 0 = never
 */
public record MediaConfig(int threads, int callsPerLoop, int socketReceiveBufferBytes, int maxBusyPercent) {
    /** Most loops worth running: far more than cores only adds context switches. */
    public static final int MAX_THREADS = 256;
    /** Most calls worth packing on one loop before using the next: one loop saturates a core near 1,000. */
    public static final int MAX_CALLS_PER_LOOP = 100_000;
    /** Smallest buffer accepted: room for a DTLS flight of a few full-size datagrams. */
    public static final int MIN_RECEIVE_BUFFER_BYTES = 4096;
    public static final int MAX_RECEIVE_BUFFER_BYTES = 16 * 1024 * 1024;

    public MediaConfig {
        if (threads < 0 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("media threads " + threads + " is not in 0-" + MAX_THREADS);
        }
        if (callsPerLoop < 0 || callsPerLoop > MAX_CALLS_PER_LOOP) {
            throw new IllegalArgumentException("calls per loop " + callsPerLoop + " is not in 0-" + MAX_CALLS_PER_LOOP);
        }
        if (maxBusyPercent < 0 || maxBusyPercent > 100) {
            throw new IllegalArgumentException("max busy percent " + maxBusyPercent + " is not in 0-100");
        }
        if (socketReceiveBufferBytes != 0 && (socketReceiveBufferBytes < MIN_RECEIVE_BUFFER_BYTES
                || socketReceiveBufferBytes > MAX_RECEIVE_BUFFER_BYTES)) {
            throw new IllegalArgumentException("socket receive buffer " + socketReceiveBufferBytes
                    + " bytes is neither 0 nor in " + MIN_RECEIVE_BUFFER_BYTES + "-" + MAX_RECEIVE_BUFFER_BYTES);
        }
    }

    /** The number of media loops to run on a machine with {@code availableProcessors}: at least one. */
    public int loops(int availableProcessors) {
        return threads > 0 ? threads : Math.max(1, availableProcessors);
    }
}

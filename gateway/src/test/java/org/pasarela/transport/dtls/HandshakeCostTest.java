package org.pasarela.transport.dtls;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Prints the CPU one client+server handshake pair costs (issue 3 measured ~0.36 ms per BC handshake). A
 * measurement, not an assertion: the number depends on the machine and on JIT warm-up.
 */
class HandshakeCostTest {
    private static final int WARM_UP = 20;
    private static final int MEASURED = 50;

    @Test
    void printsCpuTimePerHandshakePair() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AtomicLong cpuNanos = new AtomicLong();
        ExecutorService pool = Executors.newCachedThreadPool(DtlsLink.daemon("dtls-measured"));
        try {
            // Only the handshake tasks are counted; the synchronous link below runs inside them.
            java.util.concurrent.Executor measured = task -> pool.execute(() -> {
                long start = threads.getCurrentThreadCpuTime();
                try {
                    task.run();
                } finally {
                    cpuNanos.addAndGet(threads.getCurrentThreadCpuTime() - start);
                }
            });
            for (int i = 0; i < WARM_UP; i++) {
                handshake(measured);
            }
            cpuNanos.set(0);
            long wallStart = System.nanoTime();
            for (int i = 0; i < MEASURED; i++) {
                handshake(measured);
            }
            long wall = System.nanoTime() - wallStart;
            System.out.printf("DTLS handshake pair (server+client, ECDSA P-256, %s): %.2f ms CPU, %.2f ms wall,"
                            + " mean of %d after %d warm-up%n", System.getProperty("java.vm.version"),
                    cpuNanos.get() / 1e6 / MEASURED, wall / 1e6 / MEASURED, MEASURED, WARM_UP);
            assertThat(cpuNanos.get()).isPositive();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Direct link: each side's sender enqueues straight into the other's inbox (offer never blocks). */
    private static void handshake(java.util.concurrent.Executor executor) throws Exception {
        DtlsEndpoint[] ends = new DtlsEndpoint[2];
        ends[0] = new DtlsEndpoint(DtlsRole.SERVER, DtlsLink.SERVER_CERT,
                List.of(DtlsLink.fingerprintOf(DtlsLink.CLIENT_CERT)), DtlsOptions.defaults(),
                (d, o, l) -> ends[1].receive(d, o, l), executor);
        ends[1] = new DtlsEndpoint(DtlsRole.CLIENT, DtlsLink.CLIENT_CERT,
                List.of(DtlsLink.fingerprintOf(DtlsLink.SERVER_CERT)), DtlsOptions.defaults(),
                (d, o, l) -> ends[0].receive(d, o, l), executor);
        CompletableFuture.allOf(ends[0].start(), ends[1].start()).get(5, SECONDS);
        ends[0].close();
        ends[1].close();
    }
}

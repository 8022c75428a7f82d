package org.pasarela.transport.dtls;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;

/**
 * Two {@link DtlsEndpoint}s in one JVM, wired back to back like two sockets: each direction is a single delivery
 * thread (so sends never re-enter the sender), with an optional "drop the n-th datagram" rule per direction.
 */
final class DtlsLink implements AutoCloseable {
    static final DtlsCertificate SERVER_CERT = Certificates.generateEcdsaP256(new SecureRandom(), Instant.now());
    static final DtlsCertificate CLIENT_CERT = Certificates.generateEcdsaP256(new SecureRandom(), Instant.now());

    final ExecutorService handshakes = Executors.newCachedThreadPool(daemon("dtls-handshake"));
    private final ExecutorService toServerWire = Executors.newSingleThreadExecutor(daemon("wire-to-server"));
    private final ExecutorService toClientWire = Executors.newSingleThreadExecutor(daemon("wire-to-client"));
    private final AtomicReference<DtlsEndpoint> serverRef = new AtomicReference<>();
    private final AtomicReference<DtlsEndpoint> clientRef = new AtomicReference<>();
    final AtomicInteger toServerCount = new AtomicInteger();
    final AtomicInteger toClientCount = new AtomicInteger();
    final DtlsEndpoint server;
    final DtlsEndpoint client;

    DtlsLink(DtlsOptions serverOptions, DtlsOptions clientOptions) {
        this(serverOptions, clientOptions, List.of(fingerprintOf(CLIENT_CERT)), List.of(fingerprintOf(SERVER_CERT)),
                n -> false, n -> false);
    }

    /** dropToServer / dropToClient get the 1-based index of each datagram in that direction. */
    DtlsLink(DtlsOptions serverOptions, DtlsOptions clientOptions, List<Fingerprint> serverExpects,
             List<Fingerprint> clientExpects, IntPredicate dropToServer, IntPredicate dropToClient) {
        server = new DtlsEndpoint(DtlsRole.SERVER, SERVER_CERT, serverExpects, serverOptions,
                wire(toClientWire, clientRef, toClientCount, dropToClient), handshakes);
        client = new DtlsEndpoint(DtlsRole.CLIENT, CLIENT_CERT, clientExpects, clientOptions,
                wire(toServerWire, serverRef, toServerCount, dropToServer), handshakes);
        serverRef.set(server);
        clientRef.set(client);
    }

    static Fingerprint fingerprintOf(DtlsCertificate cert) {
        try {
            return Fingerprint.of("sha-256", cert.certificate().getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DatagramSender wire(ExecutorService wire, AtomicReference<DtlsEndpoint> to, AtomicInteger count,
                                       IntPredicate drop) {
        return (data, offset, length) -> {
            int n = count.incrementAndGet();
            if (drop.test(n)) {
                return;
            }
            byte[] copy = java.util.Arrays.copyOfRange(data, offset, offset + length);
            wire.execute(() -> to.get().receive(copy, 0, copy.length));
        };
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
        client.close();
        toServerWire.shutdown();
        toClientWire.shutdown();
        handshakes.shutdown();
        if (!handshakes.awaitTermination(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("DTLS handshake threads still running 5 s after close()");
        }
    }
}

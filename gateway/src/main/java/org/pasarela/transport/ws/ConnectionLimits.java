package org.pasarela.transport.ws;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the open browser connections (HTTP, WebSocket, plain and TLS alike), per source address and in all, and
 * refuses those over the caps, so that one host cannot take every socket and file descriptor of the gateway.
 * One instance is shared by every listener. Thread-safe and lock-free: {@link #tryOpen} and {@link #close} run
 * on the event loops.
 */
public final class ConnectionLimits {
    /** Large enough never to matter: for tests and tools that do not set limits. */
    public static final ConnectionLimits UNLIMITED = new ConnectionLimits(Integer.MAX_VALUE, Integer.MAX_VALUE);

    private final int perAddress;
    private final int total;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> byAddress = new ConcurrentHashMap<>();

    public ConnectionLimits(int perAddress, int total) {
        if (perAddress < 1 || total < 1) {
            throw new IllegalArgumentException("connection limits must be positive: " + perAddress + " per address, "
                    + total + " in all");
        }
        this.perAddress = perAddress;
        this.total = total;
    }

    /** Why a connection was refused; {@code perAddress} tells a crowded address from a full gateway. */
    public record Refusal(boolean perAddress, String reason) {}

    /**
     * Counts a new connection from {@code ip}, or refuses it.
     *
     * @return empty when admitted (the caller must {@link #close} it once), else why it was refused
     */
    public Optional<Refusal> tryOpen(String ip) {
        if (open.incrementAndGet() > total) {
            open.decrementAndGet();
            return Optional.of(new Refusal(false, "the gateway already has " + total
                    + " connections (http.max-connections)"));
        }
        boolean[] admitted = {false};
        byAddress.compute(ip, (key, count) -> {
            AtomicInteger c = count == null ? new AtomicInteger() : count;
            if (c.get() < perAddress) {
                c.incrementAndGet();
                admitted[0] = true;
            }
            return c;
        });
        if (!admitted[0]) {
            open.decrementAndGet();
            return Optional.of(new Refusal(true, "more than " + perAddress + " connections from this address "
                    + "(http.max-connections-per-address)"));
        }
        return Optional.empty();
    }

    /** Forgets one admitted connection from {@code ip}. */
    public void close(String ip) {
        byAddress.computeIfPresent(ip, (key, count) -> count.decrementAndGet() <= 0 ? null : count);
        open.decrementAndGet();
    }

    /** Connections open now, in all. */
    public int open() {
        return open.get();
    }

    /** Connections open now from {@code ip}. */
    public int open(String ip) {
        AtomicInteger count = byAddress.get(ip);
        return count == null ? 0 : count.get();
    }
}

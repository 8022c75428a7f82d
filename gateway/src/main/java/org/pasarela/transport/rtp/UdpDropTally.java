package org.pasarela.transport.rtp;

import java.util.HashMap;
import java.util.Map;

/**
 * Adds up the kernel's per-socket drop counters across snapshots taken some seconds apart. A socket's counter only
 * grows while it lives and goes when it closes, so each snapshot adds, per socket, what its counter gained since the
 * previous one; a socket seen for the first time adds its whole count, since it has been this process's since it
 * opened. Drops in a socket's last interval before it closed are not seen: the counter is gone by then.
 *
 * <p>Not thread-safe: one sampling thread adds; {@link #total()} may be read from any thread.
 */
final class UdpDropTally {
    private Map<Long, Long> previous = Map.of();
    private volatile long total;

    /**
     * @param dropsBySocket this snapshot: socket inode to its drop counter
     * @return the drops new since the previous snapshot
     */
    long add(Map<Long, Long> dropsBySocket) {
        long added = 0;
        for (Map.Entry<Long, Long> e : dropsBySocket.entrySet()) {
            long before = previous.getOrDefault(e.getKey(), 0L);
            long now = e.getValue();
            // Lower than before: the inode was freed and given to a new socket, whose counter started at 0.
            added += now >= before ? now - before : now;
        }
        previous = new HashMap<>(dropsBySocket);
        total += added;
        return added;
    }

    /** Every drop seen so far. */
    long total() {
        return total;
    }
}

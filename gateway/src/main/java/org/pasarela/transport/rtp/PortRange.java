package org.pasarela.transport.rtp;

/** An inclusive range of UDP ports the gateway may bind for media, from {@code rtp.port.min}..{@code rtp.port.max}. */
public record PortRange(int min, int max) {
    public PortRange {
        if (min < 1 || max > 65535 || min > max) {
            throw new IllegalArgumentException("port range " + min + ".." + max + " is not within 1..65535");
        }
    }

    public int size() {
        return max - min + 1;
    }

    public boolean contains(int port) {
        return port >= min && port <= max;
    }
}

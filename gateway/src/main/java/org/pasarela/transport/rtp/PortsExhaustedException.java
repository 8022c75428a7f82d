package org.pasarela.transport.rtp;

/** No free UDP ports are left in the configured media range. */
public final class PortsExhaustedException extends MediaUnavailableException {
    public PortsExhaustedException(PortRange range) {
        super("no free UDP ports left in rtp.port.min..rtp.port.max = " + range.min() + ".." + range.max());
    }
}

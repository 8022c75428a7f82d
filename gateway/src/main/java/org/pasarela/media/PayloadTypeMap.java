package org.pasarela.media;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.pasarela.bridge.BridgedAnswer;
import org.pasarela.bridge.BridgedCodec;

/**
 * The payload types the relay forwards and what each becomes on the other leg: the bridged voice codec and,
 * optionally, RFC 4733 telephone-event. Any other payload type is dropped. Immutable; the call's lane builds a new
 * one when an offer/answer changes the codecs and publishes it to the relay.
 */
public final class PayloadTypeMap {

    private static final int NONE = -1;

    private final byte[] browserToSip = filled();
    private final byte[] sipToBrowser = filled();
    private final int browserTelephoneEvent;
    private final int sipTelephoneEvent;
    private final int clockRate;

    private PayloadTypeMap(BridgedCodec codec, Optional<BridgedCodec> telephoneEvent) {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(telephoneEvent, "telephoneEvent");
        clockRate = codec.clockRate();
        put(codec);
        if (telephoneEvent.isPresent()) {
            BridgedCodec te = telephoneEvent.get();
            if (te.clockRate() != codec.clockRate()) {
                throw new IllegalArgumentException("telephone-event clock rate " + te.clockRate()
                        + " differs from " + codec.encoding() + "/" + codec.clockRate()
                        + ": RFC 4733 events share the voice stream's timestamps");
            }
            if (te.browserPayloadType() == codec.browserPayloadType()
                    || te.sipPayloadType() == codec.sipPayloadType()) {
                throw new IllegalArgumentException("telephone-event and " + codec.encoding()
                        + " share a payload type");
            }
            put(te);
            browserTelephoneEvent = te.browserPayloadType();
            sipTelephoneEvent = te.sipPayloadType();
        } else {
            browserTelephoneEvent = NONE;
            sipTelephoneEvent = NONE;
        }
    }

    public static PayloadTypeMap of(BridgedCodec codec, Optional<BridgedCodec> telephoneEvent) {
        return new PayloadTypeMap(codec, telephoneEvent);
    }

    public static PayloadTypeMap of(BridgedAnswer answer) {
        return new PayloadTypeMap(answer.codec(), answer.telephoneEvent());
    }

    /** The payload type to send for {@code payloadType} received in {@code direction}, or -1 to drop. */
    public int outgoing(Direction direction, int payloadType) {
        if (payloadType < 0 || payloadType > 127) return NONE;
        return (direction == Direction.BROWSER_TO_SIP ? browserToSip : sipToBrowser)[payloadType];
    }

    /** True when {@code payloadType}, received in {@code direction}, is RFC 4733 telephone-event. */
    public boolean isTelephoneEvent(Direction direction, int payloadType) {
        return payloadType != NONE && payloadType == incomingTelephoneEvent(direction);
    }

    /** The telephone-event payload type the receiving leg of {@code direction} expects, or -1 if not negotiated. */
    public int outgoingTelephoneEvent(Direction direction) {
        return direction == Direction.BROWSER_TO_SIP ? sipTelephoneEvent : browserTelephoneEvent;
    }

    /** The RTP clock rate of the voice codec, which telephone-event shares. */
    public int clockRate() {
        return clockRate;
    }

    private int incomingTelephoneEvent(Direction direction) {
        return direction == Direction.BROWSER_TO_SIP ? browserTelephoneEvent : sipTelephoneEvent;
    }

    private void put(BridgedCodec codec) {
        browserToSip[codec.browserPayloadType()] = (byte) codec.sipPayloadType();
        sipToBrowser[codec.sipPayloadType()] = (byte) codec.browserPayloadType();
    }

    private static byte[] filled() {
        byte[] table = new byte[128];
        Arrays.fill(table, (byte) NONE);
        return table;
    }
}

package org.pasarela.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pasarela.bridge.BridgedCodec;

class PayloadTypeMapTest {

    private static final BridgedCodec OPUS = new BridgedCodec(111, 107, "opus", 48000);
    private static final BridgedCodec OPUS_EVENTS = new BridgedCodec(126, 101, "telephone-event", 48000);

    @Test
    void mapsVoiceAndEventPayloadTypesBothWays() {
        PayloadTypeMap map = PayloadTypeMap.of(OPUS, Optional.of(OPUS_EVENTS));
        assertThat(map.outgoing(Direction.BROWSER_TO_SIP, 111)).isEqualTo(107);
        assertThat(map.outgoing(Direction.SIP_TO_BROWSER, 107)).isEqualTo(111);
        assertThat(map.outgoing(Direction.BROWSER_TO_SIP, 126)).isEqualTo(101);
        assertThat(map.outgoing(Direction.SIP_TO_BROWSER, 101)).isEqualTo(126);
        assertThat(map.isTelephoneEvent(Direction.BROWSER_TO_SIP, 126)).isTrue();
        assertThat(map.isTelephoneEvent(Direction.SIP_TO_BROWSER, 101)).isTrue();
        assertThat(map.isTelephoneEvent(Direction.SIP_TO_BROWSER, 126)).isFalse();
        assertThat(map.outgoingTelephoneEvent(Direction.BROWSER_TO_SIP)).isEqualTo(101);
        assertThat(map.outgoingTelephoneEvent(Direction.SIP_TO_BROWSER)).isEqualTo(126);
        assertThat(map.clockRate()).isEqualTo(48000);
    }

    @Test
    void dropsEveryOtherPayloadTypeIncludingTheOtherLegsNumbers() {
        PayloadTypeMap map = PayloadTypeMap.of(OPUS, Optional.of(OPUS_EVENTS));
        for (int pt = 0; pt < 128; pt++) {
            if (pt != 111 && pt != 126) {
                assertThat(map.outgoing(Direction.BROWSER_TO_SIP, pt)).as("pt " + pt).isEqualTo(-1);
            }
            if (pt != 107 && pt != 101) {
                assertThat(map.outgoing(Direction.SIP_TO_BROWSER, pt)).as("pt " + pt).isEqualTo(-1);
            }
        }
        assertThat(map.outgoing(Direction.BROWSER_TO_SIP, -1)).isEqualTo(-1);
        assertThat(map.outgoing(Direction.BROWSER_TO_SIP, 128)).isEqualTo(-1);
    }

    @Test
    void withoutTelephoneEventNothingIsAnEvent() {
        PayloadTypeMap map = PayloadTypeMap.of(new BridgedCodec(0, 0, "PCMU", 8000), Optional.empty());
        assertThat(map.outgoing(Direction.SIP_TO_BROWSER, 0)).isZero();
        assertThat(map.outgoingTelephoneEvent(Direction.BROWSER_TO_SIP)).isEqualTo(-1);
        assertThat(map.isTelephoneEvent(Direction.BROWSER_TO_SIP, -1)).isFalse();
        assertThat(map.isTelephoneEvent(Direction.BROWSER_TO_SIP, 101)).isFalse();
    }

    @Test
    void refusesTelephoneEventAtAnotherClockRate() {
        assertThatThrownBy(() -> PayloadTypeMap.of(OPUS,
                Optional.of(new BridgedCodec(126, 101, "telephone-event", 8000))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clock rate 8000");
    }

    @Test
    void refusesTelephoneEventSharingTheCodecsPayloadType() {
        assertThatThrownBy(() -> PayloadTypeMap.of(OPUS,
                Optional.of(new BridgedCodec(126, 107, "telephone-event", 48000))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("share a payload type");
    }
}

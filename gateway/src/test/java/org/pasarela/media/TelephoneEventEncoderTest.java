package org.pasarela.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelephoneEventEncoderTest {

    static final long MS = 1_000_000L;
    static final long T0 = 5_000 * MS;

    /** Polls every millisecond from T0 for {@code spanMs} and returns each packet with the time it came out. */
    private static List<long[]> run(TelephoneEventEncoder encoder, int spanMs) {
        List<long[]> packets = new ArrayList<>();
        byte[] b = new byte[TelephoneEventEncoder.PACKET_BYTES];
        for (long t = T0; t <= T0 + spanMs * MS; t += MS) {
            while (encoder.poll(b, 0, t) > 0) {
                int p = RtpHeader.payloadOffset(b, 0);
                packets.add(new long[] {t, RtpHeader.marker(b, 0) ? 1 : 0, RtpHeader.payloadType(b, 0),
                        RtpHeader.timestamp(b, 0), TelephoneEventDecoder.event(b, p),
                        TelephoneEventDecoder.isEnd(b, p) ? 1 : 0, TelephoneEventDecoder.volume(b, p),
                        TelephoneEventDecoder.duration(b, p)});
            }
        }
        return packets;
    }

    @Test
    void digitFiveFor100MsAt8kHzFollowsRfc4733() {
        TelephoneEventEncoder encoder = new TelephoneEventEncoder(TelephoneEventDecoder.eventCode('5'), 101, 8000,
                0x11223344, T0, 20 * MS, 100 * MS);
        List<long[]> packets = run(encoder, 1000);
        // time, marker, PT, timestamp, event, end, volume, duration
        assertThat(packets).extracting(p -> p[0] - T0).containsExactly(0L, 20 * MS, 40 * MS, 60 * MS, 80 * MS,
                100 * MS, 120 * MS);
        assertThat(packets).extracting(p -> p[1]).containsExactly(1L, 0L, 0L, 0L, 0L, 0L, 0L);
        assertThat(packets).extracting(p -> p[2]).containsOnly(101L);
        assertThat(packets).extracting(p -> p[3]).containsOnly((long) 0x11223344);
        assertThat(packets).extracting(p -> p[4]).containsOnly(5L);
        assertThat(packets).extracting(p -> p[5]).containsExactly(0L, 0L, 0L, 0L, 1L, 1L, 1L);
        assertThat(packets).extracting(p -> p[6]).containsOnly(10L);
        assertThat(packets).extracting(p -> p[7]).containsExactly(160L, 320L, 480L, 640L, 800L, 800L, 800L);
        assertThat(encoder.isFinished()).isTrue();
        assertThat(encoder.nextDueNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void toneNotAMultipleOfThePacketIntervalEndsAtItsExactDuration() {
        TelephoneEventEncoder encoder = new TelephoneEventEncoder(11, 126, 48000, 0, T0, 20 * MS, 50 * MS);
        assertThat(run(encoder, 500)).extracting(p -> p[7]).containsExactly(960L, 1920L, 2400L, 2400L, 2400L);
    }

    @Test
    void toneShorterThanOnePacketIsThreeEndPacketsTheFirstMarked() {
        TelephoneEventEncoder encoder = new TelephoneEventEncoder(0, 101, 8000, 0, T0, 20 * MS, 10 * MS);
        List<long[]> packets = run(encoder, 500);
        assertThat(packets).extracting(p -> p[5]).containsExactly(1L, 1L, 1L);
        assertThat(packets).extracting(p -> p[1]).containsExactly(1L, 0L, 0L);
        assertThat(packets).extracting(p -> p[7]).containsOnly(80L);
    }

    @Test
    void aLatePollerGetsEveryOverduePacketInOrder() {
        TelephoneEventEncoder encoder = new TelephoneEventEncoder(1, 101, 8000, 0, T0, 20 * MS, 100 * MS);
        byte[] b = new byte[TelephoneEventEncoder.PACKET_BYTES];
        assertThat(encoder.poll(b, 0, T0 - 1)).isZero();
        assertThat(encoder.nextDueNanos()).isEqualTo(T0);
        List<Integer> durations = new ArrayList<>();
        while (encoder.poll(b, 0, T0 + 45 * MS) > 0) durations.add(TelephoneEventDecoder.duration(b, 12));
        assertThat(durations).containsExactly(160, 320, 480);
        assertThat(encoder.nextDueNanos()).isEqualTo(T0 + 60 * MS);
    }

    @Test
    void writesIntoTheCallersBufferAtAnOffset() {
        TelephoneEventEncoder encoder = new TelephoneEventEncoder(15, 101, 8000, 7, T0, 20 * MS, 40 * MS);
        byte[] b = new byte[100];
        assertThat(encoder.poll(b, 50, T0)).isEqualTo(16);
        assertThat(RtpHeader.isValid(b, 50, 16)).isTrue();
        assertThat(TelephoneEventDecoder.digit(TelephoneEventDecoder.event(b, 62))).isEqualTo('D');
        assertThatThrownBy(() -> encoder.poll(b, 90, T0 + 20 * MS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16 bytes at offset 90");
    }

    @Test
    void mapsDtmfDigitsToRfc4733EventCodes() {
        String digits = "0123456789*#ABCD";
        for (int i = 0; i < digits.length(); i++) {
            assertThat(TelephoneEventDecoder.eventCode(digits.charAt(i))).isEqualTo(i);
            assertThat(TelephoneEventDecoder.digit(i)).isEqualTo(digits.charAt(i));
        }
        assertThat(TelephoneEventDecoder.eventCode('a')).isEqualTo(12);
        assertThat(TelephoneEventDecoder.eventCode('E')).isEqualTo(-1);
        assertThat(TelephoneEventDecoder.eventCode('x')).isEqualTo(-1);
        assertThat(TelephoneEventDecoder.digit(16)).isEqualTo('?');
        assertThat(TelephoneEventDecoder.digit(-1)).isEqualTo('?');
    }

    @Test
    void refusesToneLongerThanTheDurationFieldHolds() {
        assertThatThrownBy(() -> new TelephoneEventEncoder(1, 111, 48000, 0, T0, 20 * MS, 2000 * MS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("96000 ticks at 48000 Hz");
        new TelephoneEventEncoder(1, 101, 8000, 0, T0, 20 * MS, 8000 * MS);
    }

    @Test
    void refusesNonsenseParameters() {
        assertThatThrownBy(() -> new TelephoneEventEncoder(256, 101, 8000, 0, T0, 20 * MS, 100 * MS))
                .hasMessageContaining("event 256");
        assertThatThrownBy(() -> new TelephoneEventEncoder(1, 128, 8000, 0, T0, 20 * MS, 100 * MS))
                .hasMessageContaining("payload type 128");
        assertThatThrownBy(() -> new TelephoneEventEncoder(1, 101, 0, 0, T0, 20 * MS, 100 * MS))
                .hasMessageContaining("clock rate 0");
        assertThatThrownBy(() -> new TelephoneEventEncoder(1, 101, 8000, 0, T0, 0, 100 * MS))
                .hasMessageContaining("interval 0");
        assertThatThrownBy(() -> new TelephoneEventEncoder(1, 101, 8000, 0, T0, 20 * MS, -1))
                .hasMessageContaining("tone -1");
        assertThatThrownBy(() -> new TelephoneEventEncoder(1, 101, 8000, 0, T0, 1000, 100 * MS))
                .hasMessageContaining("under one tick");
    }
}

package org.pasarela.transport.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class SrvRecordTest {
    /** Always picks the low end of the range: the first record (in weight-0-first order) wins each round. */
    private static final RandomGenerator LOWEST = () -> 0L;

    @Test
    void parsesJndiTextAndDropsTheTrailingDot() throws Exception {
        assertThat(SrvRecord.parse("10 60 5060 Sip1.Example.NET."))
                .isEqualTo(new SrvRecord(10, 60, 5060, "sip1.example.net"));
        assertThat(SrvRecord.parse("  0 0 5061 tls.example.net ")).isEqualTo(new SrvRecord(0, 0, 5061, "tls.example.net"));
    }

    @Test
    void keepsTheDotTargetThatMeansNotOffered() throws Exception {
        SrvRecord none = SrvRecord.parse("0 0 0 .");
        assertThat(none.notOffered()).isTrue();
    }

    @Test
    void refusesMalformedRecordsNamingTheField() {
        assertThatThrownBy(() -> SrvRecord.parse("10 60 5060")).isInstanceOf(DnsException.class)
                .hasMessage("SRV record '10 60 5060': expected 'priority weight port target'");
        assertThatThrownBy(() -> SrvRecord.parse("10 x 5060 a.example.")).isInstanceOf(DnsException.class)
                .hasMessage("SRV record '10 x 5060 a.example.': weight 'x' is not a number 0-65535");
        assertThatThrownBy(() -> SrvRecord.parse("10 1 70000 a.example.")).isInstanceOf(DnsException.class)
                .hasMessage("SRV record '10 1 70000 a.example.': port 70000 is not 0-65535");
        assertThatThrownBy(() -> SrvRecord.parse("10 1 0 a.example.")).isInstanceOf(DnsException.class)
                .hasMessage("SRV record '10 1 0 a.example.': port 0 for target a.example");
    }

    @Test
    void lowerPriorityNumbersComeFirstWhateverTheirWeight() {
        SrvRecord backup = new SrvRecord(20, 1000, 5060, "backup.example");
        SrvRecord primary = new SrvRecord(10, 1, 5060, "primary.example");
        SrvRecord secondary = new SrvRecord(10, 0, 5070, "secondary.example");
        assertThat(SrvRecord.order(List.of(backup, primary, secondary), new Random(7)).get(2)).isEqualTo(backup);
        assertThat(SrvRecord.order(List.of(backup, primary, secondary), LOWEST))
                .containsExactly(secondary, primary, backup);
    }

    @Test
    void withinOnePriorityWeightsSetTheOddsOfGoingFirst() {
        SrvRecord heavy = new SrvRecord(10, 90, 5060, "heavy.example");
        SrvRecord light = new SrvRecord(10, 10, 5060, "light.example");
        Random random = new Random(2782);
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            first.merge(SrvRecord.order(List.of(light, heavy), random).get(0).target(), 1, Integer::sum);
        }
        assertThat(first.get("heavy.example")).isBetween(1700, 1900); // 90 % of 2000, give or take
        assertThat(first.get("light.example")).isBetween(100, 300);
    }

    @Test
    void weightZeroIsRarelyChosenFirstButNeverLost() {
        SrvRecord zero = new SrvRecord(10, 0, 5060, "zero.example");
        SrvRecord some = new SrvRecord(10, 50, 5060, "some.example");
        Random random = new Random(1);
        int zeroFirst = 0;
        for (int i = 0; i < 1000; i++) {
            List<SrvRecord> order = SrvRecord.order(List.of(some, zero), random);
            assertThat(order).containsExactlyInAnyOrder(some, zero);
            if (order.get(0) == zero) {
                zeroFirst++;
            }
        }
        assertThat(zeroFirst).isLessThan(60); // RFC 2782: chosen first only when the random number is 0 (1/51)
    }

    @Test
    void orderingIsAPermutationOfTheInput() {
        List<SrvRecord> records = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            records.add(new SrvRecord(i % 3, i, 5060 + i, "h" + i + ".example"));
        }
        List<SrvRecord> ordered = SrvRecord.order(records, new Random(3));
        assertThat(ordered).containsExactlyInAnyOrderElementsOf(records);
        assertThat(ordered).isSortedAccordingTo(java.util.Comparator.comparingInt(SrvRecord::priority));
    }
}

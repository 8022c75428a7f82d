package org.pasarela.transport.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ThreadNiceTest {
    /** A media thread's stat line under -XX:ThreadPriorityPolicy=1 as root: priority 15, nice -5 (fields 18, 19). */
    private static final String RAISED = "4517 (media-0) S 1 4511 1122 0 -1 1077936192 1203 0 0 0 2870 1094 0 0 15 -5 "
            + "46 0 52630 3726056000 96489 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 -1 1 0 0 0 0 0";

    @Test
    void readsFieldNineteen() {
        assertThat(ThreadNice.parse(RAISED)).isEqualTo(-5);
    }

    @Test
    void countsFromTheLastParenthesisBecauseANameMayHoldSpacesAndParentheses() {
        assertThat(ThreadNice.parse(RAISED.replace("(media-0)", "(a) b (c 7 8)"))).isEqualTo(-5);
    }

    @Test
    void refusesWhatIsNotAStatLine() {
        assertThatThrownBy(() -> ThreadNice.parse("4517 media-0 S 1")).hasMessageContaining("no \")\" after the name");
        assertThatThrownBy(() -> ThreadNice.parse("4517 (media-0) S 1 2 3")).hasMessageContaining("nice is field 19");
    }

    @Test
    void aNewThreadStartsAtTheProcessNiceValue() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/thread-self/stat")), "Linux /proc");
        int[] seen = new int[1];
        Thread t = new Thread(() -> seen[0] = ThreadNice.current());
        t.start();
        t.join();
        assertThat(seen[0]).isNotEqualTo(ThreadNice.UNKNOWN).isEqualTo(ThreadNice.ofProcess());
    }
}

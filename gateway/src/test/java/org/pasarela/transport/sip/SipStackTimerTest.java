package org.pasarela.transport.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import java.lang.ref.Reference;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SipStackTimerTest {
    private static SipStackImpl stack;
    private SipStackTimer timer;

    @BeforeAll
    static void createStack() throws Exception {
        stack = SipStacks.create("timer-test", false);
    }

    @AfterAll
    static void stopStack() {
        SipStacks.stop(stack, null, null, "127.0.0.1", 0);
    }

    @BeforeEach
    void start() {
        timer = new SipStackTimer(task -> task instanceof Counting counting && counting.weak);
        timer.start(stack, new Properties());
    }

    @AfterEach
    void stop() {
        timer.stop();
    }

    /** A task that counts its runs and can fail on purpose. */
    private static final class Counting extends SIPStackTimerTask {
        final AtomicInteger runs;
        final boolean weak;
        final CountDownLatch ran = new CountDownLatch(1);
        final boolean fails;

        Counting(AtomicInteger runs, boolean weak, boolean fails) {
            this.runs = runs;
            this.weak = weak;
            this.fails = fails;
        }

        Counting() {
            this(new AtomicInteger(), false, false);
        }

        @Override
        public void runTask() {
            runs.incrementAndGet();
            ran.countDown();
            if (fails) {
                throw new IllegalStateException("a task that fails on purpose");
            }
        }

        @Override
        public Object getThreadHash() {
            return null;
        }
    }

    @Test
    void everyStackMadeBySipStacksUsesIt() {
        assertThat(stack.getTimer()).isInstanceOf(SipStackTimer.class);
        assertThat(stack.getTimer().isStarted()).isTrue();
    }

    @Test
    void theTaskItHoldsWeaklyIsTheRisAckCheck() throws Exception {
        // If a JAIN-SIP upgrade renames the check, the dialogs would silently be held 32 s again.
        assertThat(SIPStackTimerTask.class.isAssignableFrom(Class.forName(SipStackTimer.ACK_CHECK_TASK))).isTrue();
    }

    @Test
    void runsATaskOnceAfterItsDelay() throws Exception {
        Counting task = new Counting();
        long start = System.nanoTime();
        timer.schedule(task, 100);
        assertThat(task.ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(100);
        Thread.sleep(200);
        assertThat(task.runs).hasValue(1);
    }

    @Test
    void aCancelledTaskNeverRunsAndLeavesTheQueue() throws Exception {
        Counting task = new Counting();
        timer.schedule(task, 200);
        assertThat(timer.queued()).isEqualTo(1);
        assertThat(timer.cancel(task)).isTrue();
        assertThat(timer.queued()).isZero();
        assertThat(task.getSipTimerTask()).isNull();
        assertThat(timer.cancel(task)).as("cancelled twice").isFalse();
        Thread.sleep(400);
        assertThat(task.runs).hasValue(0);
    }

    /** A task due at once that cancels itself on its first run, as the RI's retransmission-alert task does. */
    private static final class CancelsItself extends SIPStackTimerTask {
        final AtomicInteger runs = new AtomicInteger();
        SipStackTimer timer;

        @Override
        public void runTask() {
            runs.incrementAndGet();
            timer.cancel(this);
        }

        @Override
        public Object getThreadHash() {
            return null;
        }
    }

    @Test
    void aTaskCarriesItsHandleBeforeItIsQueued() {
        // Otherwise a task due at once may run before schedule() returns and find no handle to cancel itself with.
        AtomicInteger queuedWhenHandled = new AtomicInteger(-1);
        SIPStackTimerTask task = new SIPStackTimerTask() {
            @Override
            public void runTask() {}

            @Override
            public Object getThreadHash() {
                return null;
            }

            @Override
            public void setSipTimerTask(Object handle) {
                if (handle != null && queuedWhenHandled.get() < 0) {
                    queuedWhenHandled.set(timer.queued());
                }
                super.setSipTimerTask(handle);
            }
        };
        timer.schedule(task, 1000);
        assertThat(queuedWhenHandled).hasValue(0);
        timer.cancel(task);
    }

    @Test
    void aTaskDueAtOnceCancelsItselfOnItsFirstRun() throws Exception {
        for (int i = 0; i < 200; i++) {
            CancelsItself task = new CancelsItself();
            task.timer = timer;
            timer.scheduleWithFixedDelay(task, 0, 5);
            Thread.sleep(i % 10 == 0 ? 30 : 0);
        }
        Thread.sleep(100);
        assertThat(timer.queued()).as("every task cancelled itself").isZero();
    }

    @Test
    void aFixedDelayTaskRepeatsUntilCancelled() throws Exception {
        Counting task = new Counting();
        timer.scheduleWithFixedDelay(task, 10, 20);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (task.runs.get() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(task.runs.get()).isGreaterThanOrEqualTo(3);
        timer.cancel(task);
        Thread.sleep(50); // a run in progress when cancelled may still finish
        int runs = task.runs.get();
        Thread.sleep(200);
        assertThat(task.runs).hasValue(runs);
    }

    @Test
    void aFailingTaskDoesNotStopTheOthersNorItsOwnRepeats() throws Exception {
        Counting failing = new Counting(new AtomicInteger(), false, true);
        timer.scheduleWithFixedDelay(failing, 0, 20);
        Counting after = new Counting();
        timer.schedule(after, 100);
        assertThat(after.ran.await(5, TimeUnit.SECONDS)).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (failing.runs.get() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(failing.runs.get()).as("the failing task's own next runs").isGreaterThanOrEqualTo(3);
        timer.cancel(failing);
    }

    @Test
    void refusesTasksOnceStopped() {
        timer.stop();
        assertThat(timer.isStarted()).isFalse();
        assertThatThrownBy(() -> timer.schedule(new Counting(), 10)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new SipStackTimer().schedule(new Counting(), 10))
                .as("not started").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aWeaklyHeldTaskRunsWhileItsOwnerHoldsItAndIsDroppedOnceNobodyDoes() throws Exception {
        AtomicInteger orphanRuns = new AtomicInteger();
        timer.schedule(new Counting(orphanRuns, true, false), 1000);
        Counting owned = new Counting(new AtomicInteger(), true, false);
        timer.schedule(owned, 1000);
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(owned.ran.await(5, TimeUnit.SECONDS)).as("a task its owner still holds runs").isTrue();
        Thread.sleep(200);
        assertThat(orphanRuns).as("a task nobody else holds is garbage, not run").hasValue(0);
        Reference.reachabilityFence(owned);
    }
}

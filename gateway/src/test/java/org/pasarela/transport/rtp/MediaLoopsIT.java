package org.pasarela.transport.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several media loops in one relay, with real calls on loopback: placement, isolation, threads. */
class MediaLoopsIT {
    private final List<AutoCloseable> open = new ArrayList<>();
    private MediaRelay relay;
    private PortAllocator allocator;

    private void start(int loops) throws Exception {
        start(loops, 0);
    }

    private void start(int loops, int callsPerLoop) throws Exception {
        start(loops, callsPerLoop, MediaRelay.NEVER_REFUSE);
    }

    private void start(int loops, int callsPerLoop, int maxBusyPercent) throws Exception {
        relay = new MediaRelay(LoopbackCall.GatewayCertificate.get(), Duration.ofSeconds(60), loops, callsPerLoop,
                maxBusyPercent);
        allocator = new PortAllocator(InetAddress.getLoopbackAddress(), PortAllocatorTest.freeRange(200), 16384);
    }

    private LoopbackCall call(String id) throws Exception {
        LoopbackCall call = new LoopbackCall(relay, allocator, id);
        open.add(0, call);
        return call;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (relay != null) {
            relay.close();
        }
        assertThat(allocator == null ? 0 : allocator.socketsInUse()).as("sockets left bound").isZero();
    }

    @Test
    void placesEachNewCallOnTheLoopWithFewestCalls() throws Exception {
        start(2);
        LoopbackCall a = call("a");
        LoopbackCall b = call("b");
        LoopbackCall c = call("c");
        LoopbackCall d = call("d");
        assertThat(relay.callsPerLoop()).containsExactly(2, 2);
        assertThat(List.of(a.handle.loop(), b.handle.loop())).doesNotHaveDuplicates();
        assertThat(List.of(c.handle.loop(), d.handle.loop())).doesNotHaveDuplicates();

        MediaLoop freed = b.handle.loop();
        b.close();
        assertThat(relay.callsPerLoop()).containsExactlyInAnyOrder(1, 2);
        assertThat(call("e").handle.loop()).as("the loop that lost a call takes the next").isSameAs(freed);
        assertThat(relay.callsPerLoop()).containsExactly(2, 2);
    }

    @Test
    void fillsTheFirstLoopUpToCallsPerLoopBeforeTheNextThenSpreads() throws Exception {
        start(2, 3);
        LoopbackCall a = call("a");
        call("b");
        call("c");
        assertThat(relay.callsPerLoop()).as("one loop carries few calls alone").containsExactly(3, 0);
        call("d");
        assertThat(relay.callsPerLoop()).containsExactly(3, 1);
        a.close();
        assertThat(call("e").handle.loop()).as("a freed place on the first loop is taken first")
                .isSameAs(relay.loops().get(0));
        call("f");
        call("g");
        assertThat(relay.callsPerLoop()).containsExactly(3, 3);
        call("h");
        call("i");
        assertThat(relay.callsPerLoop()).as("every loop full: the least loaded takes the call").containsExactly(4, 4);
    }

    @Test
    void runsOneThreadPerLoopWhateverTheNumberOfCalls() throws Exception {
        start(3);
        assertThat(mediaThreads()).isEqualTo(3);
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().matches("media-\\d+")))
                .as("media threads ask for the highest priority (nice -5 with -XX:ThreadPriorityPolicy=1)")
                .allMatch(t -> t.getPriority() == Thread.MAX_PRIORITY);
        for (int i = 0; i < 30; i++) {
            call("call-" + i);
        }
        assertThat(relay.callsPerLoop()).containsExactly(10, 10, 10);
        assertThat(mediaThreads()).as("no thread per call").isEqualTo(3);
        relay.close();
        awaitTrue("media threads ended", () -> mediaThreads() == 0);
    }

    @Test
    void relaysCallsOnEveryLoopAndKeepsEachCallOnItsLoop() throws Exception {
        start(2);
        LoopbackCall a = call("a").connect();
        LoopbackCall b = call("b").connect();
        assertThat(a.handle.loop()).isNotSameAs(b.handle.loop());
        assertThat(a.roundTrips(50)).isEqualTo(50);
        assertThat(b.roundTrips(50)).isEqualTo(50);
        assertThat(sessionsOn(a.handle.loop())).isEqualTo(1);
        assertThat(sessionsOn(b.handle.loop())).isEqualTo(1);
    }

    @Test
    void endingACallOnOneLoopLeavesTheCallOnAnotherRelaying() throws Exception {
        start(2);
        LoopbackCall a = call("a").connect();
        LoopbackCall b = call("b").connect();
        MediaLoop aLoop = a.handle.loop();
        assertThat(a.roundTrips(20)).isEqualTo(20);

        a.close();
        awaitTrue("a's session gone from its loop", () -> sessionsOn(aLoop) == 0);
        assertThat(b.roundTrips(100)).isEqualTo(100);
        assertThat(a.lost).as("an ended call is not a lost one").isEmpty();
        assertThat(b.lost).isEmpty();
    }

    @Test
    void aSaturatedLoopTakesNoNewCallWhileAnotherHasRoomAndTheRelayRefusesOnceAllAre() throws Exception {
        start(2, 250, 85);
        MediaLoop first = relay.loops().get(0);
        MediaLoop second = relay.loops().get(1);
        assertThat(call("a").handle.loop()).as("packed on the first loop while it has room").isSameAs(first);

        keepBusy(first, System.nanoTime() + TimeUnit.SECONDS.toNanos(3));
        awaitTrue("the working loop saturated", () -> first.peakBusyPercent() >= 85);
        assertThat(second.peakBusyPercent()).as("the idle loop").isLessThan(20);
        assertThat(relay.leastPeakBusyPercent()).as("one loop still has room").isLessThan(85);
        relay.checkRoom(); // does not throw
        assertThat(call("b").handle.loop()).as("below 250 calls, but saturated: the next loop takes it")
                .isSameAs(second);

        long bothUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        keepBusy(first, bothUntil);
        keepBusy(second, bothUntil);
        awaitTrue("every loop saturated", () -> relay.leastPeakBusyPercent() >= 85);
        assertThatThrownBy(relay::checkRoom).isInstanceOf(MediaBusyException.class)
                .hasMessageContaining("media.max-busy-percent = 85");
        // The busiest of the last 3 s decides: room again 3 calm seconds after the work ends.
        awaitTrue("room again once the work ends", () -> relay.leastPeakBusyPercent() < 20, 10);
        relay.checkRoom();
    }

    @Test
    void withEveryLoopFullOfCallsASaturatedOneIsStillPassedOver() throws Exception {
        start(2, 0, 85); // calls-per-loop 0: always the least loaded loop
        LoopbackCall a = call("a");
        LoopbackCall b = call("b");
        MediaLoop busy = a.handle.loop();
        MediaLoop calm = b.handle.loop();
        assertThat(busy).isNotSameAs(calm);
        keepBusy(busy, System.nanoTime() + TimeUnit.SECONDS.toNanos(3));
        awaitTrue("the first call's loop saturated", () -> busy.peakBusyPercent() >= 85);
        assertThat(call("c").handle.loop()).isSameAs(calm);
        assertThat(call("d").handle.loop()).as("more calls than the saturated loop, but room").isSameAs(calm);
    }

    @Test
    void aRelayThatNeverRefusesTakesCallsHoweverBusy() throws Exception {
        start(1, 0);
        MediaLoop only = relay.loops().get(0);
        keepBusy(only, System.nanoTime() + TimeUnit.SECONDS.toNanos(3));
        awaitTrue("the only loop saturated", () -> only.peakBusyPercent() >= 85);
        relay.checkRoom();
        assertThat(call("a").handle.loop()).isSameAs(only);
    }

    /**
     * Gives {@code loop} work in 5 ms pieces until {@code deadline}, so that it hardly waits for packets but still
     * runs its ticks between pieces: what a loop behind on its packets does. Each piece has another thread queue
     * the next, as lanes queue tasks: queued from the loop itself, the next piece would run in the same drain of
     * the task queue, with no tick between.
     */
    /** Queues {@link #keepBusy}'s next piece from outside the loop; one daemon thread for the whole class. */
    private static final java.util.concurrent.Executor HANDOFF = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
                Thread t = new Thread(r, "keep-busy-handoff");
                t.setDaemon(true);
                return t;
            });

    private static void keepBusy(MediaLoop loop, long deadline) {
        loop.execute(new Runnable() {
            @Override
            public void run() {
                long pieceEnds = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
                while (System.nanoTime() - pieceEnds < 0) {
                    Thread.onSpinWait();
                }
                if (System.nanoTime() - deadline < 0) {
                    Runnable next = this;
                    HANDOFF.execute(() -> loop.execute(next));
                }
            }
        });
    }

    @Test
    void aBrokenLoopEndsOnlyItsOwnCallsAndANewLoopTakesNewCalls() throws Exception {
        start(2);
        LoopbackCall a = call("a").connect();
        LoopbackCall b = call("b").connect();
        MediaLoop broken = a.handle.loop();

        broken.execute(() -> {
            throw new AssertionError("a bug that escapes the loop"); // an Error: the loop itself cannot go on
        });

        assertThat(a.lost.poll(5, TimeUnit.SECONDS)).as("a is told its media is lost")
                .startsWith("media loop " + broken.name() + " failed: java.lang.AssertionError");
        assertThat(broken.isRunning()).isFalse();
        assertThat(b.roundTrips(100)).as("b, on the other loop, keeps relaying").isEqualTo(100);
        assertThat(b.lost).isEmpty();

        LoopbackCall c = call("c").connect();
        assertThat(c.handle.loop()).isNotSameAs(broken).isNotSameAs(b.handle.loop());
        assertThat(c.handle.loop().isRunning()).isTrue();
        assertThat(c.roundTrips(50)).isEqualTo(50);
        assertThat(mediaThreads()).as("the broken loop's thread replaced, not added").isEqualTo(2);
    }

    @Test
    void aRelayWhoseOnlyLoopBrokeStartsAFreshOneForTheNextCall() throws Exception {
        start(1);
        MediaLoop only = relay.loops().get(0);
        only.execute(() -> {
            throw new StackOverflowError("broken");
        });
        awaitTrue("the loop's thread ended", () -> mediaThreads() == 0);
        assertThat(only.isRunning()).isFalse();

        LoopbackCall next = call("next").connect();
        assertThat(next.handle.loop()).isNotSameAs(only);
        assertThat(next.roundTrips(20)).isEqualTo(20);
        assertThat(mediaThreads()).isEqualTo(1);
    }

    private static int mediaThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().matches("media-\\d+")).count();
    }

    /** Sessions registered on a loop, read on that loop's own thread. */
    private static int sessionsOn(MediaLoop loop) {
        var count = new java.util.concurrent.CompletableFuture<Integer>();
        loop.execute(() -> count.complete(loop.sessionCount()));
        return count.orTimeout(2, TimeUnit.SECONDS).join();
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws Exception {
        awaitTrue(what, condition, 5);
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier condition, int seconds)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(10);
        }
    }
}

package org.pasarela.transport.sip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.timers.SipTimer;
import java.lang.ref.WeakReference;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.pasarela.lane.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JAIN-SIP's timer for our stacks (its {@code TIMER_CLASS_NAME}), so that an ended call's SIP state is freed
 * when the call ends rather than 32 s later.
 *
 * <p>For every 200 OK to an INVITE, the RI schedules a check that the application sent the ACK, 64×T1 (32 s)
 * later, and never cancels it: the ACK is sent at once, but the check, an inner object of the dialog, holds the
 * dialog, its INVITE transaction, the INVITE and the 200 OK until then: about 17 KiB per call, 17 MiB of heap
 * at 31 calls a second (findings 15 and 16 of docs/benchmarks.md). The dialog itself refers to
 * its check, so this timer holds that one kind of task weakly: while the dialog is reachable the check runs as
 * before; once the stack and the gateway have both let go of the dialog, nobody can send its ACK any more, the
 * check would find nothing to delete, and the dialog is garbage.
 *
 * <p>Otherwise it behaves as JAIN-SIP's default timer: one thread, tasks in order of their due time, a failing
 * task logged and the others unaffected. Unlike the default, a cancelled task leaves the queue at once.
 */
public final class SipStackTimer implements SipTimer {
    private static final Logger log = LoggerFactory.getLogger(SipStackTimer.class);
    /** The RI's "was the ACK sent?" check; package-private in the RI, so named rather than referenced. */
    static final String ACK_CHECK_TASK = "gov.nist.javax.sip.stack.SIPDialog$DialogDeleteIfNoAckSentTask";

    private final Predicate<SIPStackTimerTask> heldWeakly;
    private volatile ScheduledThreadPoolExecutor executor;

    /** JAIN-SIP creates its timer by class name, with no arguments; {@link #start} makes it usable. */
    public SipStackTimer() {
        this(task -> task.getClass().getName().equals(ACK_CHECK_TASK));
    }

    /** A timer that holds the tasks {@code heldWeakly} accepts only as long as something else does. */
    SipStackTimer(Predicate<SIPStackTimerTask> heldWeakly) {
        this.heldWeakly = heldWeakly;
    }

    @Override
    public void start(SipStackImpl stack, Properties configuration) {
        ScheduledThreadPoolExecutor started =
                new ScheduledThreadPoolExecutor(1, DaemonThreads.named(stack.getStackName() + "-sip-timer"));
        started.setRemoveOnCancelPolicy(true);
        started.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        started.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        executor = started;
    }

    @Override
    public boolean isStarted() {
        ScheduledThreadPoolExecutor current = executor;
        return current != null && !current.isShutdown();
    }

    @Override
    public void stop() {
        ScheduledThreadPoolExecutor current = executor;
        if (current != null) {
            current.shutdown();
        }
    }

    @Override
    public boolean schedule(SIPStackTimerTask task, long delayMs) {
        return queue(task, (executor, run) -> executor.schedule(run, delayMs, TimeUnit.MILLISECONDS));
    }

    @Override
    public boolean scheduleWithFixedDelay(SIPStackTimerTask task, long delayMs, long periodMs) {
        return queue(task, (executor, run) ->
                executor.scheduleWithFixedDelay(run, delayMs, periodMs, TimeUnit.MILLISECONDS));
    }

    @Override
    public boolean cancel(SIPStackTimerTask task) {
        if (!(task.getSipTimerTask() instanceof Handle handle)) {
            return false;
        }
        task.cleanUpBeforeCancel();
        task.setSipTimerTask(null);
        handle.cancel();
        return true;
    }

    /** Tasks waiting in the queue; for tests. */
    int queued() {
        ScheduledThreadPoolExecutor current = executor;
        return current == null ? 0 : current.getQueue().size();
    }

    /**
     * What a task carries as its timer handle. It is in place before the task is queued, so that a task due at once
     * can cancel itself (the RI's reliable-provisional and retransmission-alert tasks do) before
     * {@code schedule} has returned.
     */
    private static final class Handle {
        private volatile Future<?> scheduled;
        private volatile boolean cancelled;

        void started(Future<?> future) {
            scheduled = future;
            if (cancelled) {
                future.cancel(false);
            }
        }

        void cancel() {
            cancelled = true;
            Future<?> future = scheduled;
            if (future != null) {
                future.cancel(false);
            }
        }
    }

    /**
     * Gives the task its handle, then queues it. Like the RI's timer, refuses new tasks with IllegalStateException
     * once stopped (or before it started).
     */
    private boolean queue(SIPStackTimerTask task,
                          BiFunction<ScheduledThreadPoolExecutor, Runnable, Future<?>> scheduling) {
        ScheduledThreadPoolExecutor current = executor;
        if (current == null || current.isShutdown()) {
            throw new IllegalStateException("the SIP stack's timer is not running");
        }
        Handle handle = new Handle();
        task.setSipTimerTask(handle);
        try {
            handle.started(scheduling.apply(current, runnable(task)));
        } catch (RejectedExecutionException stoppedMeanwhile) {
            throw new IllegalStateException("the SIP stack's timer stopped", stoppedMeanwhile);
        }
        return true;
    }

    private Runnable runnable(SIPStackTimerTask task) {
        if (heldWeakly.test(task)) {
            WeakReference<SIPStackTimerTask> check = new WeakReference<>(task);
            return () -> {
                SIPStackTimerTask alive = check.get();
                if (alive != null) {
                    run(alive);
                }
            };
        }
        return () -> run(task);
    }

    private static void run(SIPStackTimerTask task) {
        try {
            task.runTask();
        } catch (Throwable e) {
            // As in the RI's own timer: one broken task must not stop the others, nor its own next runs (a
            // scheduled executor drops a periodic task that throws).
            log.error("SIP stack timer task {} failed", task.getClass().getName(), e);
        }
    }
}

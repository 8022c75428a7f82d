package org.pasarela.lane;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serial executor over a shared pool: tasks posted to one lane run one at a time, in the order posted, on
 * whichever pool thread is free. One lane per browser session owns that session and its calls, so they need no
 * locks and no thread of their own (STYLE "one owner, one lane").
 *
 * <p>Thread-safe: any thread may post.
 */
public final class Lane implements Executor {
    private static final Logger log = LoggerFactory.getLogger(Lane.class);

    private final String name;
    private final Executor pool;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    public Lane(String name, Executor pool) {
        this.name = name;
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        scheduleDrain();
    }

    private void drain() {
        // Run a bounded batch, then yield the pool thread so one busy lane cannot starve the others.
        for (int i = 0; i < 64; i++) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                log.error("lane {}: task failed", name, e);
            }
        }
        scheduleDrain();
    }

    private void scheduleDrain() {
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (tasks) {
                tasks.clear();
                running = false;
            }
            log.debug("lane {}: pool is shut down, dropping tasks", name);
        }
    }
}

package dev.sandglass.storage.jobs;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeating background tasks kept repeating. A task run through its {@link LoopGuard} never
 * throws, but a repeating task can still be lost with a full heap: the executor re-queues it
 * after each run, and that re-queue (or the worker's own bookkeeping) can run out of memory
 * outside the task, after which the task silently never runs again (seen under a 32 MiB heap).
 * So every task started here beats a heartbeat, and one plain watchdog thread, allocating
 * nothing while all is well, schedules a task again once it missed two periods and five seconds
 * while not running. Tasks of a pool that was shut down are forgotten.
 */
public final class KeptTasks {
    private static final Logger LOG = LoggerFactory.getLogger(KeptTasks.class);
    static final long CHECK_MS = 1000;
    static final long GRACE_MS = 5000;
    private static final List<Kept> KEPT = new CopyOnWriteArrayList<>();
    private static Thread watchdog;

    private KeptTasks() {
    }

    /** {@code body} under {@code guard} on {@code pool} every {@code periodMs} (fixed rate), first after {@code initialDelayMs}. */
    public static void atFixedRate(ScheduledExecutorService pool, LoopGuard guard, Runnable body, long initialDelayMs, long periodMs) {
        start(new Kept(pool, guard, body, periodMs, false), initialDelayMs);
    }

    /** The same with {@code periodMs} between the end of one run and the start of the next (fixed delay). */
    public static void withFixedDelay(ScheduledExecutorService pool, LoopGuard guard, Runnable body, long initialDelayMs, long periodMs) {
        start(new Kept(pool, guard, body, periodMs, true), initialDelayMs);
    }

    private static void start(Kept k, long initialDelayMs) {
        k.lastStartNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(initialDelayMs);
        k.future = k.schedule(initialDelayMs);
        KEPT.add(k);
        startWatchdog();
    }

    private static synchronized void startWatchdog() {
        if (watchdog != null) {
            return;
        }
        watchdog = new Thread(KeptTasks::watch, "sandglass-task-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static void watch() {
        while (true) {
            try {
                Thread.sleep(CHECK_MS);
                check(System.nanoTime());
            } catch (Throwable t) {
                // Out of heap here too, or interrupted: look again at the next check.
            }
        }
    }

    /** Drops tasks of stopped pools and schedules again those that missed their turns. */
    static void check(long now) {
        for (Kept k : KEPT) {
            if (k.pool.isShutdown()) {
                KEPT.remove(k);
            } else if (!k.running && now - k.lastStartNanos > TimeUnit.MILLISECONDS.toNanos(2 * k.periodMs + GRACE_MS)) {
                k.future.cancel(false); // if it is still queued after all, it must not run twice
                k.lastStartNanos = now;
                k.future = k.schedule(0);
                k.rescheduled++;
                try {
                    LOG.warn("{}: its repeating task had stopped running (lost by the executor, e.g. out of heap); scheduled again",
                            k.guard.name());
                } catch (Throwable ignored) {
                    // counted above
                }
            }
        }
    }

    /** Times a task of {@code guard} was scheduled again by the watchdog. */
    static long rescheduled(LoopGuard guard) {
        long n = 0;
        for (Kept k : KEPT) {
            n += k.guard == guard ? k.rescheduled : 0;
        }
        return n;
    }

    /** Cancels {@code guard}'s tasks behind the watchdog's back, as an executor that lost them would (tests). */
    static void loseForTest(LoopGuard guard) {
        for (Kept k : KEPT) {
            if (k.guard == guard) {
                k.future.cancel(false);
            }
        }
    }

    private static final class Kept {
        final ScheduledExecutorService pool;
        final LoopGuard guard;
        final Runnable body;
        final long periodMs;
        final boolean fixedDelay;
        volatile long lastStartNanos;
        volatile boolean running;
        volatile ScheduledFuture<?> future;
        volatile long rescheduled;

        Kept(ScheduledExecutorService pool, LoopGuard guard, Runnable body, long periodMs, boolean fixedDelay) {
            this.pool = pool;
            this.guard = guard;
            this.body = body;
            this.periodMs = periodMs;
            this.fixedDelay = fixedDelay;
        }

        ScheduledFuture<?> schedule(long delayMs) {
            return fixedDelay ? pool.scheduleWithFixedDelay(this::turn, delayMs, periodMs, TimeUnit.MILLISECONDS)
                    : pool.scheduleAtFixedRate(this::turn, delayMs, periodMs, TimeUnit.MILLISECONDS);
        }

        void turn() {
            running = true;
            lastStartNanos = System.nanoTime();
            try {
                guard.run(body);
            } finally {
                running = false;
            }
        }
    }
}

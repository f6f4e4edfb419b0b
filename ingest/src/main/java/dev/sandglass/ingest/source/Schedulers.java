package dev.sandglass.ingest.source;

import dev.sandglass.storage.jobs.LoopGuard;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sources' background threads: daemon, named, and stopped after the work in flight; and
 * their repeating tasks, kept repeating.
 *
 * <p>A guarded task never throws, but a repeating task can still be lost with a full heap: the
 * executor re-queues it after each run, and that re-queue (or the worker's own bookkeeping) can
 * run out of memory outside the task, after which the task silently never runs again (seen
 * under a 32 MiB heap). So every task started by {@link #keepRunning} beats a heartbeat, and one
 * plain watchdog thread, allocating nothing while all is well, schedules a task again once it
 * missed two periods and five seconds while not running.
 */
public final class Schedulers {
    private static final Logger LOG = LoggerFactory.getLogger(Schedulers.class);
    static final long CHECK_MS = 1000;
    static final long GRACE_MS = 5000;
    private static final List<Kept> KEPT = new CopyOnWriteArrayList<>();
    private static Thread watchdog;

    private Schedulers() {
    }

    public static ScheduledExecutorService daemon(String name, int threads) {
        return Executors.newScheduledThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs {@code body} under {@code guard} on {@code pool} every {@code periodMs}, first after
     * {@code initialDelayMs}, and schedules it again should the executor lose it. Stops with the pool.
     */
    public static void keepRunning(ScheduledExecutorService pool, LoopGuard guard, Runnable body, long initialDelayMs, long periodMs) {
        Kept k = new Kept(pool, guard, body, periodMs);
        k.lastStartNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(initialDelayMs);
        k.future = pool.scheduleAtFixedRate(k::turn, initialDelayMs, periodMs, TimeUnit.MILLISECONDS);
        KEPT.add(k);
        startWatchdog();
    }

    private static synchronized void startWatchdog() {
        if (watchdog != null) {
            return;
        }
        watchdog = new Thread(Schedulers::watch, "sandglass-source-watchdog");
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
                k.future = k.pool.scheduleAtFixedRate(k::turn, 0, k.periodMs, TimeUnit.MILLISECONDS);
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

    /** Stops {@code s} (null is fine), waiting up to 30 s for the run in flight to finish. */
    public static void stop(ScheduledExecutorService s) {
        if (s == null) {
            return;
        }
        s.shutdown();
        KEPT.removeIf(k -> k.pool == s);
        try {
            s.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Kept {
        final ScheduledExecutorService pool;
        final LoopGuard guard;
        final Runnable body;
        final long periodMs;
        volatile long lastStartNanos;
        volatile boolean running;
        volatile ScheduledFuture<?> future;
        volatile long rescheduled;

        Kept(ScheduledExecutorService pool, LoopGuard guard, Runnable body, long periodMs) {
            this.pool = pool;
            this.guard = guard;
            this.body = body;
            this.periodMs = periodMs;
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

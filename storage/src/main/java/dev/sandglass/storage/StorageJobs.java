package dev.sandglass.storage;

import dev.sandglass.storage.api.DiskFullException;
import dev.sandglass.storage.head.HeadBudget;
import dev.sandglass.storage.jobs.KeptTasks;
import dev.sandglass.storage.jobs.LoopGuard;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A writable store's background jobs on one daemon thread: the seal, retention and rollup
 * compaction on their schedules, and early seals when the heads outgrow their budget. Each runs
 * through its own loop guard, so a failure (an OutOfMemoryError included) never cancels it.
 */
final class StorageJobs {
    /** Overridable for the crash-loop harness, which needs seals and retention often enough to kill them. */
    static final long SEAL_INTERVAL_MS = Long.getLong("sandglass.seal.interval.ms", 10 * 60_000L);
    static final long RETENTION_INTERVAL_MS = Long.getLong("sandglass.retention.interval.ms", 60_000L);

    private final Db db;
    private final Heads heads;
    /** Null until {@link #start}: a read-only store, or one still opening, runs no jobs. */
    private ScheduledExecutorService executor;
    private final AtomicBoolean earlySealQueued = new AtomicBoolean();
    /** This store's jobs' guards (seal, retention, rollup compaction): its own, so another store's backoff never skips its seals. */
    private final Map<String, LoopGuard> guards = new ConcurrentHashMap<>();

    StorageJobs(Db db, Heads heads) {
        this.db = db;
        this.heads = heads;
    }

    void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandglass-storage-jobs");
            t.setDaemon(true);
            return t;
        });
        // Kept repeating (see KeptTasks): a seal job lost to a full heap would let the WAL and the head grow for good.
        KeptTasks.withFixedDelay(executor, guard("seal"), quiet(db::seal), SEAL_INTERVAL_MS, SEAL_INTERVAL_MS);
        KeptTasks.withFixedDelay(executor, guard("retention"), quiet(() -> db.applyRetention(System.currentTimeMillis())),
                RETENTION_INTERVAL_MS, RETENTION_INTERVAL_MS);
        // Days end while the server runs: their seals' small rollup excerpts are merged an hour later.
        KeptTasks.withFixedDelay(executor, guard("rollup compaction"), quiet(db::compactRollups), SEAL_INTERVAL_MS, SEAL_INTERVAL_MS);
    }

    /**
     * After a commit: when the heads hold more than their budget, queues one early seal on the
     * storage job thread (not on the committing one; commits go on meanwhile).
     */
    void afterCommit() {
        HeadBudget budget = heads.budget();
        long held = heads.bytes();
        if (!budget.over(held) || executor == null || !heads.worthSealing()) {
            return;
        }
        if (held > 2 * budget.limitBytes()) {
            // Writers outrun the seals: this one waits for the seal in flight and seals what is
            // still over, so the heads stay near their budget however fast samples arrive.
            runJob("seal", () -> {
                if (budget.over(heads.bytes()) && heads.worthSealing()) {
                    budget.sealedEarly();
                    db.seal();
                }
            });
            return;
        }
        if (!earlySealQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> {
                earlySealQueued.set(false);
                if (budget.over(heads.bytes()) && heads.worthSealing()) {
                    budget.sealedEarly();
                    runJob("seal", db::seal);
                }
            });
        } catch (RejectedExecutionException e) {
            earlySealQueued.set(false); // closing
        }
    }

    /** Lets the job running finish (up to 30 s) and starts no other. */
    void stop() {
        if (executor != null) {
            executor.shutdown();
            try {
                executor.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Interrupts the job running, if any, and starts no other. */
    void stopNow() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /**
     * Runs a job through its loop guard: nothing it throws (an OutOfMemoryError included) cancels
     * the schedule; a failure is counted, logged and backed off (a full disk is logged once, by health).
     */
    private void runJob(String name, Runnable job) {
        guard(name).run(quiet(job));
    }

    private LoopGuard guard(String job) {
        return guards.computeIfAbsent(job, n -> LoopGuard.fresh("storage " + n));
    }

    /** {@code job} with a full disk left to health, which logs it once when writes start failing; it runs again next time. */
    private static Runnable quiet(Runnable job) {
        return () -> {
            try {
                job.run();
            } catch (DiskFullException e) {
                // logged by health
            }
        };
    }
}

package dev.sandglass.storage.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a background loop (registry collection, a scrape pool, the /proc source, agents, the
 * remote-write sender, the storage jobs) alive through anything its body throws, an
 * OutOfMemoryError included. A periodic task that throws is cancelled for good by its executor
 * and a thread whose loop throws ends: either way ingest would stop without a word. Here a
 * failure is counted first (no allocation, so even a full heap is counted), then logged with its
 * cause (a log line needs memory the heap may not have yet: a failure to log is swallowed, the
 * count stays), and the loop backs off, doubling from {@link #FIRST_BACKOFF_MS} to
 * {@link #MAX_BACKOFF_MS}, so memory held by queries or a burst has time to free before it tries
 * again. A loop failing now is reported by {@link #degraded()} (/-/ready and the status API).
 *
 * <p>Guards are process-wide, one per loop name, like the JVM's own figures: a failing loop is a
 * state of the process, and every loop is made deep inside the object it runs (the store's jobs
 * in {@code Db.open}), where no registry is passed.
 */
public final class LoopGuard {
    private static final Logger LOG = LoggerFactory.getLogger(LoopGuard.class);
    static final long FIRST_BACKOFF_MS = 500;
    static final long MAX_BACKOFF_MS = 30_000;
    private static final Map<String, LoopGuard> ALL = new ConcurrentSkipListMap<>();

    private final String name;
    private final AtomicLong outOfMemory = new AtomicLong();
    private final AtomicLong otherErrors = new AtomicLong();
    private final AtomicLong exceptions = new AtomicLong();
    private final AtomicLong recoveries = new AtomicLong();
    private volatile int consecutive;
    private volatile long retryAtNanos;
    private volatile long lastFailureMs;
    private volatile Throwable lastCause;

    private LoopGuard(String name) {
        this.name = name;
    }

    /** The guard of the loop {@code name} (made on first use), e.g. "collect", "scrape", "storage seal". */
    public static LoopGuard named(String name) {
        return ALL.computeIfAbsent(name, LoopGuard::new);
    }

    /**
     * A new guard for {@code name}, reported under that name from now on in place of the one
     * before: for loops of an object a process may make several of (a store), so one's backoff
     * never skips another's turns.
     */
    public static LoopGuard fresh(String name) {
        LoopGuard g = new LoopGuard(name);
        ALL.put(name, g);
        return g;
    }

    public String name() {
        return name;
    }

    /** The body as a task for a scheduled executor: it never throws, so the schedule is never cancelled. */
    public Runnable wrap(Runnable body) {
        return () -> run(body);
    }

    /** Runs {@code body} unless backing off after a failure; never throws. */
    public void run(Runnable body) {
        if (backingOff()) {
            return;
        }
        try {
            body.run();
            succeeded();
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** Whether the loop should skip this turn: it failed and its backoff has not run out. */
    public boolean backingOff() {
        return consecutive > 0 && System.nanoTime() - retryAtNanos < 0;
    }

    /** The loop ran a turn through: clears a failure (logged once). */
    public void succeeded() {
        if (consecutive > 0) {
            int n = consecutive;
            consecutive = 0;
            recoveries.incrementAndGet();
            try {
                LOG.info("{}: working again after {} failed attempts", name, n);
            } catch (Throwable ignored) {
                // nothing to report it with: the counters say it
            }
        }
    }

    /**
     * Counts {@code t} (by kind), sets the backoff and logs it with its cause: the first failure in
     * a row and then each 2^k-th, so a loop that keeps failing does not flood the log.
     */
    public void failed(Throwable t) {
        (t instanceof OutOfMemoryError ? outOfMemory : t instanceof Error ? otherErrors : exceptions).incrementAndGet();
        int n = consecutive + 1;
        consecutive = n;
        long backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(n - 1, 16));
        retryAtNanos = System.nanoTime() + backoff * 1_000_000L;
        lastFailureMs = System.currentTimeMillis();
        lastCause = t;
        if ((n & (n - 1)) == 0) {
            try {
                LOG.error("{} failed ({} in a row): {}; retrying in {} ms{}", name, n, t, backoff,
                        t instanceof OutOfMemoryError ? " (out of heap: give serve a larger --memory.limit if this repeats)" : "", t);
            } catch (Throwable ignored) {
                // the heap is still full: counted above, logged at a later failure or the recovery
            }
        }
    }

    /** Milliseconds until the backoff runs out (0: not backing off). */
    public long retryInMillis() {
        long left = retryAtNanos - System.nanoTime();
        return consecutive > 0 && left > 0 ? left / 1_000_000 : 0;
    }

    /** Failures in a row now (0: working). */
    public int consecutiveFailures() {
        return consecutive;
    }

    public long outOfMemoryErrors() {
        return outOfMemory.get();
    }

    public long failures() {
        return outOfMemory.get() + otherErrors.get() + exceptions.get();
    }

    /** "NAME: CAUSE (N failures in a row, last at T); retrying" for each loop failing now. */
    public static List<String> degraded() {
        List<String> out = new ArrayList<>();
        for (LoopGuard g : ALL.values()) {
            int n = g.consecutive;
            Throwable cause = g.lastCause;
            if (n > 0) {
                out.add(g.name + ": " + cause + " (" + n + " failures in a row, last at " + java.time.Instant.ofEpochMilli(g.lastFailureMs)
                        + "); retrying with backoff");
            }
        }
        return out;
    }

    /** Every loop guarded so far. */
    public static List<LoopGuard> all() {
        return List.copyOf(ALL.values());
    }

    /** sandglass_loop_failures_total{loop,kind} and sandglass_loop_up{loop} for every loop guarded so far. */
    public static void writePrometheusText(StringBuilder out) {
        out.append("# HELP sandglass_loop_failures_total Failures that reached a background loop's guard (the loop goes on after a backoff), by kind.\n");
        out.append("# TYPE sandglass_loop_failures_total counter\n");
        for (LoopGuard g : ALL.values()) {
            String l = "sandglass_loop_failures_total{loop=\"" + g.name + "\",kind=\"";
            out.append(l).append("out_of_memory\"} ").append(g.outOfMemory.get()).append('\n');
            out.append(l).append("error\"} ").append(g.otherErrors.get()).append('\n');
            out.append(l).append("exception\"} ").append(g.exceptions.get()).append('\n');
        }
        out.append("# HELP sandglass_loop_up 1 while a background loop works, 0 while its last turn failed (it retries with backoff).\n");
        out.append("# TYPE sandglass_loop_up gauge\n");
        for (LoopGuard g : ALL.values()) {
            out.append("sandglass_loop_up{loop=\"").append(g.name).append("\"} ").append(g.consecutive == 0 ? 1 : 0).append('\n');
        }
    }
}

package dev.sandglass.web.api;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the heap a burst of queries grew back to the host once the queries stop. A query over
 * hours of data allocates tens of MB of short-lived columns and results; the collector keeps the
 * heap it grew to until a full collection, which the serial collector runs only when the old
 * generation fills, so a server that answered a dashboard once kept that memory while idle. After
 * {@code quietMs} without a finished query (and only if one finished since the last time), this
 * runs one full collection, which with {@code -XX:-ShrinkHeapInSteps} and the launcher's free
 * ratios uncommits the unused heap at once (a few tens of ms on the small live set of a server:
 * the head, the index and the server's own objects). Malloc'd memory freed meanwhile is returned
 * by the JVM's {@code -XX:TrimNativeHeapInterval}. Nothing runs while queries keep coming.
 *
 * <p>Nor while the server is busy otherwise ({@code busy}, e.g. {@link ProcessBusy}): a server
 * taking a stream of writes is not idle, its heap is in use, and a full collection there (a few
 * hundred ms on 2 cores) stalls the writers and gives back heap the next writes grow again. The
 * collection waits for the first quiet tick instead.
 *
 * <p>{@code queriesDone} is any count of events after which the heap is worth giving back: serve
 * adds its seals (the number of blocks), whose encoding burst grows the heap as a query burst does.
 */
public final class IdleMemory {
    private static final Logger LOG = LoggerFactory.getLogger(IdleMemory.class);

    private final LongSupplier queriesDone;
    private final BooleanSupplier busy;
    private final long quietMs;
    private final Runnable collect;
    private long seen;
    private long lastChangeMs;
    private boolean dirty;
    private int collections;
    private int postponed;

    /** {@code collect} is the full collection ({@code System::gc} in the server). */
    public IdleMemory(LongSupplier queriesDone, long quietMs, Runnable collect) {
        this(queriesDone, () -> false, quietMs, collect);
    }

    /** As {@link #IdleMemory(LongSupplier, long, Runnable)}, not collecting while {@code busy} says so. */
    public IdleMemory(LongSupplier queriesDone, BooleanSupplier busy, long quietMs, Runnable collect) {
        this.queriesDone = queriesDone;
        this.busy = busy;
        this.quietMs = quietMs;
        this.collect = collect;
        this.seen = queriesDone.getAsLong();
    }

    /** One look at the query count at {@code nowMs}; collects when queries ran and then stopped. */
    public void tick(long nowMs) {
        long q = queriesDone.getAsLong();
        if (q != seen) {
            seen = q;
            lastChangeMs = nowMs;
            dirty = true;
        } else if (dirty && nowMs - lastChangeMs >= quietMs) {
            if (busy.getAsBoolean()) {
                postponed++;
                return;
            }
            dirty = false;
            collections++;
            collect.run();
        }
    }

    /** Ticks that would have collected but found the server busy. */
    public int postponed() {
        return postponed;
    }

    /** Full collections run so far. */
    public int collections() {
        return collections;
    }

    /** Ticks every second on a daemon thread until {@code stop} says so. */
    public Thread startInBackground(BooleanSupplier stop) {
        Thread t = new Thread(() -> {
            try {
                dev.sandglass.storage.jobs.LoopGuard guard = dev.sandglass.storage.jobs.LoopGuard.named("idle memory release");
                while (!stop.getAsBoolean()) {
                    Thread.sleep(1000);
                    guard.run(() -> tick(System.currentTimeMillis()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("idle memory release stopped: {}", e.toString());
            }
        }, "sandglass-idle-memory");
        t.setDaemon(true);
        t.start();
        return t;
    }
}

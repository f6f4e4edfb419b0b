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
 */
public final class IdleMemory {
    private static final Logger LOG = LoggerFactory.getLogger(IdleMemory.class);

    private final LongSupplier queriesDone;
    private final long quietMs;
    private final Runnable collect;
    private long seen;
    private long lastChangeMs;
    private boolean dirty;
    private int collections;

    /** {@code collect} is the full collection ({@code System::gc} in the server). */
    public IdleMemory(LongSupplier queriesDone, long quietMs, Runnable collect) {
        this.queriesDone = queriesDone;
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
            dirty = false;
            collections++;
            collect.run();
        }
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

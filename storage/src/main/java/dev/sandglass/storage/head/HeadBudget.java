package dev.sandglass.storage.head;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The share of the heap the store's in-memory head may hold: the unsealed samples and series
 * slots of the head being filled and the one being sealed. Past it the
 * store seals early (a block per early seal) instead of growing until the heap runs out: many
 * series scraped at a long interval, or a burst of new series, would otherwise fill the heap
 * before the 10-minute seal. By default a quarter of the maximum heap (queries may take half of
 * it, the index and the server the rest); {@code serve --memory.limit} sets the same share of
 * the heap it gives. Shown at /metrics as sandglass_storage_head_*.
 */
public final class HeadBudget {
    /** No limit (a heap the JVM does not bound). */
    public static final long NONE = Long.MAX_VALUE;
    /** Fewest bytes a limit may be: below this, seals would run for every few commits. */
    public static final long MIN_BYTES = 1L << 20;

    private volatile long limitBytes;
    private volatile long heldBytes;
    private final AtomicLong earlySeals = new AtomicLong();

    public HeadBudget(long limitBytes) {
        this.limitBytes = clamp(limitBytes);
    }

    /** A quarter of {@code maxHeapBytes} ({@link Runtime#maxMemory()}), or none when the heap is unbounded. */
    public static HeadBudget ofHeap(long maxHeapBytes) {
        return new HeadBudget(maxHeapBytes == Long.MAX_VALUE ? NONE : maxHeapBytes / 4);
    }

    private static long clamp(long bytes) {
        return Math.max(MIN_BYTES, bytes);
    }

    public long limitBytes() {
        return limitBytes;
    }

    public void limit(long bytes) {
        limitBytes = clamp(bytes);
    }

    /** Records what the heads hold now; true when it is over the limit (time for an early seal). */
    public boolean over(long bytesHeld) {
        heldBytes = bytesHeld;
        return bytesHeld > limitBytes;
    }

    /** Whether {@code oldBytes} (a sealed head's, to size the next one like it) and {@code newBytes} fit well within the limit. */
    public boolean keepSpare(long oldBytes, long newBytes) {
        return oldBytes + newBytes <= limitBytes / 2 || limitBytes == NONE;
    }

    /** Samples per sealed block within the budget: the seal's reused columns take 16 bytes a sample. */
    public int blockSamples(int maxBlockSamples) {
        long bySize = limitBytes == NONE ? maxBlockSamples : limitBytes / 64;
        return (int) Math.max(65_536, Math.min(maxBlockSamples, bySize));
    }

    public void sealedEarly() {
        earlySeals.incrementAndGet();
    }

    public long earlySeals() {
        return earlySeals.get();
    }

    public long heldBytes() {
        return heldBytes;
    }

    public void writePrometheusText(StringBuilder out) {
        out.append("# HELP sandglass_storage_head_bytes Heap the in-memory head holds (unsealed samples, series slots), about.\n");
        out.append("# TYPE sandglass_storage_head_bytes gauge\nsandglass_storage_head_bytes ").append(heldBytes).append('\n');
        out.append("# HELP sandglass_storage_head_limit_bytes Head share of the heap; past it the head is sealed early.\n");
        out.append("# TYPE sandglass_storage_head_limit_bytes gauge\nsandglass_storage_head_limit_bytes ")
                .append(limitBytes == NONE ? "+Inf" : Long.toString(limitBytes)).append('\n');
        out.append("# HELP sandglass_storage_head_early_seals_total Seals run before their time because the head reached its limit.\n");
        out.append("# TYPE sandglass_storage_head_early_seals_total counter\nsandglass_storage_head_early_seals_total ")
                .append(earlySeals.get()).append('\n');
    }
}

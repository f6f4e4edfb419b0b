package dev.sandglass.ingest.bulk;

/**
 * What an import may hold on the heap, derived from the heap it has: the samples and series it
 * buffers before sealing them ({@code flushBytes}, a quarter of the heap) and the text parsed
 * ahead of the store ({@code windowHeapBytes} a window, a sixteenth; two windows at most). The
 * rest is for the series index, the seal's encoding and garbage not collected yet: a million
 * one-sample series import under a 256 MiB heap. {@code sandglass import --memory.limit SIZE}
 * gives the heap half of SIZE (the launcher's -Xmx; the lower of the two counts).
 */
public record ImportBudget(long heapBytes, long flushBytes, long windowHeapBytes) {
    /** Smallest bounds (a tiny heap still flushes batches of some size rather than every series). */
    static final long MIN_FLUSH = 4 << 20;

    /** From this JVM's maximum heap, and half of {@code memoryLimitBytes} when that is above 0 and lower. */
    public static ImportBudget ofHeap(long memoryLimitBytes) {
        return of(Runtime.getRuntime().maxMemory(), memoryLimitBytes);
    }

    static ImportBudget of(long maxHeap, long memoryLimitBytes) {
        long heap = memoryLimitBytes > 0 ? Math.min(maxHeap, memoryLimitBytes / 2) : maxHeap;
        return new ImportBudget(heap, Math.max(MIN_FLUSH, heap / 4), Math.max(ParseStream.MIN_WINDOW, heap / 16));
    }

    /** For the summary: "buffers up to 64 MiB of samples before each flush (heap 256 MiB)". */
    public String describe() {
        return String.format("buffers up to %,d MiB of samples and series before each flush (heap %,d MiB)",
                flushBytes >> 20, heapBytes >> 20);
    }
}

package dev.sandglass.web.api;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * Counts the steps by which the committed heap grew since the last idle collection, as events for
 * {@link IdleMemory}. A server that only scrapes or collects runs no query and seals every ten
 * minutes: between seals its head grows, and the serial collector grows the heap with it by the
 * launcher's free ratio (40-60% left free) at each full collection the old generation needs,
 * pages that stay resident until a seal's idle collection. Each {@code stepBytes} of growth
 * counts as one event, so that 10 s after the heap stopped growing (and only when the process is
 * not busy: {@link ProcessBusy}) the idle collection gives the free part back; a heap that does not
 * grow costs nothing.
 */
public final class HeapGrowth implements LongSupplier {
    private final LongSupplier committed;
    private final long stepBytes;
    private long mark;
    private long steps;

    /** Over this JVM's heap. */
    public static HeapGrowth ofThisProcess(long stepBytes) {
        return new HeapGrowth(() -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted(), stepBytes);
    }

    HeapGrowth(LongSupplier committed, long stepBytes) {
        if (stepBytes <= 0) {
            throw new IllegalArgumentException("stepBytes must be positive: " + stepBytes);
        }
        this.committed = committed;
        this.stepBytes = stepBytes;
        this.mark = committed.getAsLong();
    }

    /** Steps of growth seen so far (each look past the mark by a step moves the mark there). */
    @Override
    public synchronized long getAsLong() {
        long c = committed.getAsLong();
        if (c >= mark + stepBytes) {
            steps += (c - mark) / stepBytes;
            mark = c;
        } else if (c < mark) {
            mark = c; // shrunk (a collection gave heap back): growth counts from here
        }
        return steps;
    }

    /** After the idle collection: the heap it left is the new mark. */
    public synchronized void collected() {
        mark = committed.getAsLong();
    }
}

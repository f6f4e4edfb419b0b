package dev.sandglass.ingest.bulk;

import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Storage;
import java.util.BitSet;

/**
 * The store's {@link BulkAppender}, sealed whenever what it holds passes a bound: the import's
 * samples and series go into segments (raw blocks, then their rollups, as one import always
 * wrote them) and a new appender takes the rest. So an import holds at most about
 * {@code flushBytes} of samples, whatever the number of series in the file; each flush is
 * durable and queryable on its own, so an import stopped between flushes leaves the ones before
 * it whole (and a stop during one is repaired at the next open, as for a seal).
 */
final class FlushingBulk implements AutoCloseable {
    /**
     * Heap a buffered series holds until its flush has sealed it, beside its samples: its map
     * entry and boxed ref, its sample arrays' headers, then while sealing its block slice and
     * rollup windows (class histogram of a million one-sample series: ~300 bytes).
     */
    static final long SERIES_BYTES = 320;
    /** A sample's long and double, with the arrays' growth. */
    static final long SAMPLE_BYTES = 24;

    private final Storage storage;
    private final long flushBytes;
    private final BitSet refs = new BitSet();
    private BulkAppender bulk;
    private long buffered;
    private boolean pending;
    private long stored;
    private int flushes;

    FlushingBulk(Storage storage, long flushBytes) {
        this.storage = storage;
        this.flushBytes = flushBytes;
        this.bulk = storage.bulkAppender();
    }

    long seriesRef(Labels labels) {
        long ref = bulk.seriesRef(labels);
        refs.set((int) ref);
        return ref;
    }

    /** Hands over the arrays (the appender may keep them). */
    void appendAll(long ref, long[] ts, double[] vs, int n) {
        bulk.appendAll(ref, ts, vs, n);
        buffered += SERIES_BYTES + SAMPLE_BYTES * n;
        pending = true;
    }

    /** Seals what is buffered when it has passed the bound; called between windows. */
    void flushIfFull() {
        if (buffered >= flushBytes) {
            stored += bulk.finish();
            flushes++;
            bulk.close();
            buffered = 0;
            pending = false;
            bulk = storage.bulkAppender();
        }
    }

    /** Seals the rest; returns the samples stored by every flush. */
    long finish() {
        if (pending || flushes == 0) {
            stored += bulk.finish();
            flushes++;
            pending = false;
        }
        return stored;
    }

    /** Distinct series appended to, over every flush. */
    long series() {
        return refs.cardinality();
    }

    int flushes() {
        return flushes;
    }

    @Override
    public void close() {
        bulk.close();
    }
}

package dev.sandglass.storage.api;

/**
 * Loads history that was collected elsewhere straight into sealed segments, bypassing the
 * write-ahead log (bulk import). Samples of a series may arrive in any order; they are sorted
 * when sealed. Nothing is visible or durable until {@link #finish()} returns.
 */
public interface BulkAppender extends AutoCloseable {
    long seriesRef(Labels labels);

    void append(long ref, long timestampMs, double value);

    /**
     * Adds a run of samples of one series. The appender may keep the arrays: the caller must not
     * change them afterwards.
     */
    default void appendAll(long ref, long[] timestampsMs, double[] values, int n) {
        for (int i = 0; i < n; i++) {
            append(ref, timestampsMs[i], values[i]);
        }
    }

    /** Seals everything appended; returns how many samples were written: one per series and timestamp (the last appended). */
    long finish();

    /** Abandons whatever was not finished. */
    @Override
    void close();
}

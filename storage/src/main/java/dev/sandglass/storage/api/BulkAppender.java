package dev.sandglass.storage.api;

/**
 * Loads history that was collected elsewhere straight into sealed segments, bypassing the
 * write-ahead log (bulk import). Samples of a series may arrive in any order; they are sorted
 * when sealed. Nothing is visible or durable until {@link #finish()} returns.
 */
public interface BulkAppender extends AutoCloseable {
    long seriesRef(Labels labels);

    void append(long ref, long timestampMs, double value);

    /** Seals everything appended; returns how many samples were written. */
    long finish();

    /** Abandons whatever was not finished. */
    @Override
    void close();
}

package dev.sandglass.storage.api;

/**
 * Collects the samples of one snapshot and makes them durable together. Samples appended are
 * neither durable nor visible until {@link #commit()} returns: commit writes them to the write-ahead
 * log first and only then makes them visible to queriers. After {@link #rollback()} they are gone.
 * Either ends the batch; the appender may then be used for the next one. Not thread-safe: one
 * appender per writing thread.
 */
public interface Appender {
    /** A reference for the series with these labels, creating it in the index when new. */
    long seriesRef(Labels labels);

    /** Adds one sample of the series {@code ref} to the current batch. */
    void append(long ref, long timestampMs, double value);

    /** Makes the batch durable, then visible. @throws StorageException when it cannot be made durable */
    void commit();

    /** Drops the batch. */
    void rollback();

    /**
     * Optional work that keeps commits fast, done between batches: a store may file the last batch
     * into its in-memory structures and pre-fault the log pages the next batches will be written
     * to. Call it after a commit returns, outside any latency-sensitive window. It never changes
     * what is durable or visible: a querier made after commit returned sees the batch either way.
     * Default: nothing.
     */
    default void prepareNext() {
    }
}

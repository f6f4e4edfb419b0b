package dev.sandglass.query.engine;

import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Queryable;
import java.util.function.BooleanSupplier;

/**
 * What every evaluator of one query shares: the querier (one time range for the whole query, as
 * Prometheus opens it), the query's own start and end (for {@code @ start()} and {@code @ end()}),
 * the deadline and the count of samples held in memory.
 */
final class QueryContext implements AutoCloseable {
    final EngineOptions options;
    final long queryStartMs;
    final long queryEndMs;
    private final Queryable storage;
    private final long minT;
    private final long maxT;
    private final long deadlineNanos;
    private Querier querier;
    /** Set when the query's range reaches past raw retention (see {@link #checkRetention}). */
    private RollupView rollups;
    private long currentSamples;
    private long allocatedCells;

    private final BooleanSupplier canceled;

    QueryContext(Queryable storage, EngineOptions options, long queryStartMs, long queryEndMs, long minT, long maxT,
            BooleanSupplier canceled) {
        this.canceled = canceled;
        this.storage = storage;
        this.options = options;
        this.queryStartMs = queryStartMs;
        this.queryEndMs = queryEndMs;
        this.minT = minT;
        this.maxT = maxT;
        this.deadlineNanos = System.nanoTime() + Math.max(0, options.timeoutMs()) * 1_000_000L;
    }

    Querier querier() {
        if (querier == null) {
            querier = storage.querier(minT, maxT);
            checkRetention();
        }
        return querier;
    }

    /** The rollup view when the query reaches past raw retention, else null (see {@link #checkRetention}). */
    RollupView rollups() {
        querier();
        return rollups;
    }

    /**
     * Switches selection to {@link RollupView} when the query reads data older than the raw
     * samples kept and rollups hold it; a query raw data covers is untouched.
     */
    private void checkRetention() {
        long rawStart = querier.rawStartMs();
        if (rawStart != Long.MIN_VALUE && minT < rawStart) {
            rollups = new RollupView(querier, rawStart, minT, maxT);
        }
    }

    /** The warning to send with the answer, or null. */
    String warning() {
        return rollups == null ? null : rollups.warning();
    }

    /** Called in every loop over steps or series, so a runaway or abandoned query stops soon. */
    void checkDeadline(String stage) {
        if (canceled.getAsBoolean()) {
            throw new PromQLException.CanceledException("query was canceled in " + stage);
        }
        if (options.timeoutMs() > 0 && System.nanoTime() - deadlineNanos > 0) {
            throw new PromQLException.TimeoutException("query timed out in " + stage);
        }
    }

    long currentSamples() {
        return currentSamples;
    }

    /** Records {@code n} more samples held; fails when that passes the limit (--query.max-samples). */
    void addSamples(long n) {
        currentSamples += n;
        if (currentSamples > options.maxSamples()) {
            throw new PromQLException.TooManySamplesException(options.maxSamples());
        }
    }

    /**
     * Charges step cells allocated for a series. Series hold a value slot for every step, present
     * or not, so besides Prometheus's count of samples held, the total of cells a query allocates
     * is capped at 8x max-samples: sparse data over many steps cannot exhaust the heap.
     */
    void allocateCells(long n) {
        allocatedCells += n;
        if (allocatedCells > 8 * options.maxSamples()) {
            throw new PromQLException.TooManySamplesException(options.maxSamples());
        }
    }

    /**
     * For series built concurrently and counted once all are built: adds a finished series'
     * {@code n} samples to {@code built} and fails as soon as those built so far, with what the
     * query holds already, pass the limit. The answer is the same (the total is checked again
     * when they are counted); a query bound to fail stops after about the limit's worth of series
     * instead of building every one first (a selection of 800 series at 1,441 steps held ~10 MiB
     * of step cells to fail against a 262,144-sample limit).
     */
    void countBuilt(java.util.concurrent.atomic.AtomicLong built, long n) {
        if (n > 0 && currentSamples + built.addAndGet(n) > options.maxSamples()) {
            throw new PromQLException.TooManySamplesException(options.maxSamples());
        }
    }

    /** Fails when holding {@code n} more samples for a moment (a range window) would pass the limit. */
    void checkHeld(long n) {
        if (currentSamples + n > options.maxSamples()) {
            throw new PromQLException.TooManySamplesException(options.maxSamples());
        }
    }

    /** Sets the count held, e.g. back to what a finished node's inputs left plus its output. */
    void setSamples(long n) {
        currentSamples = n;
        if (currentSamples > options.maxSamples()) {
            throw new PromQLException.TooManySamplesException(options.maxSamples());
        }
    }

    @Override
    public void close() {
        if (querier != null) {
            querier.close();
            querier = null;
        }
    }
}

package dev.sandglass.web.cli;

/**
 * What {@code serve --memory.limit} allows: the launcher gives the Java heap half of the limit
 * (the rest is for classes, compiled code, thread stacks, and the store's memory-mapped files),
 * and queries may hold half of the heap between them (the other half is the head of the store,
 * the index and the server). A query's samples are charged at {@link #BYTES_PER_SAMPLE} (a
 * timestamp, a value and the engine's step cells around them), so the sample limit each query
 * gets is its share of that, and fewer queries run at once when even one would not fit: a query
 * that needs more fails with the engine's clear "too many samples" error instead of taking the
 * host's memory.
 */
record MemoryBudget(long limitBytes, long heapBytes, long queryBytes, long maxSamples, int maxConcurrency, boolean samplesLowered) {
    static final long BYTES_PER_SAMPLE = 64;
    /** No --memory.limit: the heap may grow to the JVM's ceiling, the queries' memory may not (see {@link #DEFAULT_QUERY_BYTES}). */
    static final long NONE = Long.MAX_VALUE;
    /**
     * Without --memory.limit, what queries may hold between them: 262,144 samples, the most one
     * query gets under {@code --memory.limit 128MiB}, so one heavy query at a time (cheap ones
     * wait for it; the timeout bounds the wait). The heap's ceiling there is the JVM's (1/4 of
     * RAM, so that live data such as a scrape of 100,000 series fits), and a budget taken from it
     * let four queries of 12.3 million samples each take the host's memory. Measured with
     * bench/heavy-queries.sh (fifty heavy range queries at once, no flags): 32 MiB (2 at once)
     * peaked at 220-246 MiB resident (the serial heap grew to ~120 MiB around them), 16 MiB at
     * 184-211 MiB (4 runs), against issue 15's 192. That was data held outside the budget (an
     * answer being sent while the next query ran; a refused query building every series before
     * failing), not the collector's sizing: with both fixed, 162-187 MiB (5 runs; README, "Fifty
     * heavy queries within 192 MiB").
     */
    static final long DEFAULT_QUERY_BYTES = 16L << 20;
    /** Below this many samples per query even small dashboards fail: concurrency is cut first. */
    static final long MIN_SAMPLES_PER_QUERY = 250_000;

    /**
     * @param heapBytes the heap the JVM was actually given (Runtime.maxMemory), which may differ
     *                  from half the limit when java is started without the launcher
     */
    static MemoryBudget of(long limitBytes, long heapBytes, long flagMaxSamples, int flagConcurrency) {
        long heap = Math.min(heapBytes, Math.max(limitBytes / 2, 1));
        long queryBytes = limitBytes == NONE ? Math.min(heap / 2, DEFAULT_QUERY_BYTES) : heap / 2;
        long total = queryBytes / BYTES_PER_SAMPLE;
        int concurrency = flagConcurrency;
        // A --query.max-samples under the floor is the user's own choice of many small queries.
        while (concurrency > 1 && total / concurrency < Math.min(MIN_SAMPLES_PER_QUERY, flagMaxSamples)) {
            concurrency--;
        }
        long each = Math.max(1, total / concurrency);
        long samples = Math.min(flagMaxSamples, each);
        return new MemoryBudget(limitBytes, heap, queryBytes, samples, concurrency, samples < flagMaxSamples);
    }

    /**
     * Sandboxes in the start-up warm-up's synthetic store: 12 (12 x 8 series x 3,600 samples, about
     * 350,000 samples, ~10 MiB while its bulk load is sealed), fewer in a heap under 64 MiB. The
     * hot loops are per sample and per step, so a small fleet warms the same code as 100
     * sandboxes did (2.9 million samples, ~90 MiB: most of serve's start-up peak) for a tenth of
     * the memory and of the CPU a round.
     */
    int warmupSandboxes() {
        return (int) Math.max(4, Math.min(12, (heapBytes >> 20) * 12 / 64));
    }

    String describe() {
        if (limitBytes == NONE) {
            return String.format("no --memory.limit (heap up to %d MiB, as the JVM allows; queries %d MiB between them): "
                            + "each query holds at most %,d samples%s, %d at once",
                    heapBytes >> 20, queryBytes >> 20, maxSamples, samplesLowered ? " (--query.max-samples lowered to fit)" : "", maxConcurrency);
        }
        return String.format("limit %d MiB (heap %d MiB): each query holds at most %,d samples%s, %d at once",
                limitBytes >> 20, heapBytes >> 20, maxSamples, samplesLowered ? " (--query.max-samples lowered to fit)" : "",
                maxConcurrency);
    }
}

package dev.sandglass.storage.api;

import java.util.List;

/**
 * Reads one time range [minT, maxT] (unix ms, inclusive) of a store. Not thread-safe; close it
 * when done. Knows nothing of PromQL: it selects by label matchers and returns samples.
 */
public interface Querier extends AutoCloseable {
    /**
     * Series matching every matcher that have at least one sample in the range, sorted by labels.
     * An empty matcher list selects nothing.
     */
    List<Series> select(List<Matcher> matchers);

    /**
     * Like {@link #select}, but each series' samples are read only when asked for, by whichever
     * thread asks, and a series may turn out to have none in the range. Valid until this querier
     * is closed.
     */
    default List<Series> selectLazily(List<Matcher> matchers) {
        return select(matchers);
    }

    /** Sorted label names of series matching the matchers (all series when none are given). */
    List<String> labelNames(List<Matcher> matchers);

    /** Sorted distinct values of one label among series matching the matchers (all when none). */
    List<String> labelValues(String name, List<Matcher> matchers);

    @Override
    void close();
}

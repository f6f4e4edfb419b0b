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

    /**
     * The rollup windows (see {@link RollupSeries}) at {@code resolutionMs} of series matching
     * every matcher, for the windows that overlap [minT, maxT] (whole windows, not cut at the
     * range's edges), sorted by labels. They cover everything stored, rolled up or not yet.
     * Stores without rollups return none.
     */
    default List<RollupSeries> selectRollups(List<Matcher> matchers, long resolutionMs, long minT, long maxT) {
        return List.of();
    }

    /**
     * The earliest time from which raw samples are kept, when rollups hold anything older (raw
     * retention dropped it); {@link Long#MIN_VALUE} when raw samples cover all there is.
     */
    default long rawStartMs() {
        return Long.MIN_VALUE;
    }

    /**
     * The last sample in range of each of {@code series} (selected by this querier), as
     * {@link Series#last} gives it, into {@code out[i]} (cleared first): the same answers, but a
     * store may read many at once more cheaply (one lock for all instead of one each).
     */
    default void lastOfEach(List<Series> series, Samples[] out) {
        for (int i = 0; i < series.size(); i++) {
            series.get(i).last(out[i]);
        }
    }

    /**
     * A stamp of what the store held when this querier was made: two queriers of one store with
     * the same stamp (not -1) read the same samples over the same range. -1 when the store cannot
     * tell (e.g. another process may be writing it). Lets a reader reuse an answer between writes.
     */
    default long changes() {
        return -1;
    }

    /** The newest timestamp of any sample the store held when this querier was made (any series, any range); MAX_VALUE when unknown. */
    default long newestTimestamp() {
        return Long.MAX_VALUE;
    }

    /** Sorted label names of series matching the matchers (all series when none are given). */
    List<String> labelNames(List<Matcher> matchers);

    /** Sorted distinct values of one label among series matching the matchers (all when none). */
    List<String> labelValues(String name, List<Matcher> matchers);

    @Override
    void close();
}

package dev.sandglass.storage.api;

/** One series returned by a {@link Querier}: its labels and its samples within the querier's range. */
public interface Series {
    Labels labels();

    /**
     * The samples in [minT, maxT] of the querier, in time order, each timestamp once. Staleness
     * markers are returned as stored ({@link Values#STALE_NAN}).
     */
    Samples samples();

    /**
     * The same samples, read into {@code reuse} where the series can (then valid only until
     * {@code reuse} is used again). A caller that goes through series one at a time keeps one
     * buffer warm in the processor's cache instead of filling fresh memory for each.
     */
    default Samples samples(Samples reuse) {
        return samples();
    }

    /**
     * The last sample in [minT, maxT] of the querier (a staleness marker counts), written into
     * {@code out} (cleared first); false when there is none. A store can answer this without
     * reading the whole range: the latest-point views ask it of thousands of series at once.
     */
    default boolean last(Samples out) {
        Samples s = samples();
        out.clear();
        if (s.size() == 0) {
            return false;
        }
        out.add(s.timestamp(s.size() - 1), s.value(s.size() - 1));
        return true;
    }

    /** A series whose samples are already loaded. */
    static Series of(Labels labels, Samples samples) {
        return new Series() {
            @Override
            public Labels labels() {
                return labels;
            }

            @Override
            public Samples samples() {
                return samples;
            }
        };
    }
}

package dev.sandglass.storage.api;

/** One series returned by a {@link Querier}: its labels and its samples within the querier's range. */
public interface Series {
    Labels labels();

    /**
     * The samples in [minT, maxT] of the querier, in time order, each timestamp once. Staleness
     * markers are returned as stored ({@link Values#STALE_NAN}).
     */
    Samples samples();

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

package dev.sandglass.storage.index;

/**
 * How {@link SeriesIndex#syncMap} puts the logged series into the map's generations, and when it
 * pages their files out. Not thread-safe: SeriesIndex guards it.
 */
final class MapSync {
    /** Refs put a batch: the index's lock is let go between batches. */
    static final int BATCH = 1024;
    /** Map puts since its files were last paged out. */
    private long putsSincePageOut;

    /** Puts series {@code ref} into the maps, {@code backlog} series (this one included) on their way. */
    static void put(SeriesMaps maps, SeriesTable series, int ref, long backlog) {
        maps.put(LabelText.format(series.labels(ref)), ref, backlog);
    }

    /**
     * Puts the series held among refs [{@code mapped}, {@code logged}), a batch of them at most,
     * into the maps, paging them out when due; {@code backlog} is the series to put when the sync
     * began. Returns the ref it stopped before.
     */
    int putBatch(SeriesMaps maps, SeriesTable series, int mapped, int logged, long backlog) {
        int to = Math.min(logged, mapped + BATCH);
        for (int ref = mapped; ref < to; ref++) {
            if (series.has(ref)) {
                // The whole backlog's room when a generation is started: an import's hundred
                // thousand series would otherwise start one at every doubling on the way.
                put(maps, series, ref, logged - ref);
                putsSincePageOut++;
                pageOutWhenDue(maps, false, backlog);
            }
        }
        pageOutWhenDue(maps, to >= logged, backlog);
        return to;
    }

    /**
     * Pages the map's files out (SeriesMaps#pageOut) every 64 puts and at the end of a sync that
     * put any: a put touches pages of a random segment, and the kernel maps the cached pages
     * around each one it faults in (64 KiB a put measured: 66 MiB resident after 1,024 puts into a
     * million-series generation), so the map's pages are let go soon after they are written
     * instead of piling up to the file's size. Within a sync the ranges found at its first
     * page-out are used (one madvise call a range); its end reads them again. A bulk backlog (an
     * import's series, put at its close) touches most of the map whatever is done: paged out even
     * every 65,536 puts, its pages were read back again and again (a million-series import took 4
     * s more of system CPU), so it is paged out at its end only.
     */
    private void pageOutWhenDue(SeriesMaps maps, boolean synced, long backlog) {
        if (synced ? putsSincePageOut > 0 : putsSincePageOut >= 64 && backlog <= 65_536) {
            maps.pageOut(synced);
            putsSincePageOut = 0;
        }
    }

    /** Pages the map's files out now (an idle server), their ranges found again. */
    void pageOut(SeriesMaps maps) {
        maps.pageOut(true);
        putsSincePageOut = 0;
    }
}

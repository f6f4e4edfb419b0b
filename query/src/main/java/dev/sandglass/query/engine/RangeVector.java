package dev.sandglass.query.engine;

import java.util.List;

/**
 * The value of a range-vector expression (matrix selector or subquery) before windows are cut:
 * each series' samples over everything any step may need, and how a step's window is placed:
 * {@code [end - range, end]} with {@code end = (atMs, or the step's time) - offset}.
 */
record RangeVector(List<RawSeries> series, long rangeMs, long offsetMs, Long atMs) {
    long windowEnd(long stepTimeMs) {
        return (atMs != null ? atMs : stepTimeMs) - offsetMs;
    }
}

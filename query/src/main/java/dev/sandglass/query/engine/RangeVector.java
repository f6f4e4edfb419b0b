package dev.sandglass.query.engine;

import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
import java.util.List;

/**
 * The value of a range-vector expression (matrix selector or subquery) before windows are cut:
 * each series' samples over everything any step may need, and how a step's window is placed:
 * {@code [end - range, end]} with {@code end = (atMs, or the step's time) - offset}. A selector's
 * series are read from storage only when a consumer asks for one, so that the thread that reads a
 * series also evaluates it while it is still in the processor's cache.
 */
final class RangeVector {
    private final List<Series> stored;
    private final List<RawSeries> computed;
    private final long rangeMs;
    private final long offsetMs;
    private final Long atMs;

    private RangeVector(List<Series> stored, List<RawSeries> computed, long rangeMs, long offsetMs, Long atMs) {
        this.stored = stored;
        this.computed = computed;
        this.rangeMs = rangeMs;
        this.offsetMs = offsetMs;
        this.atMs = atMs;
    }

    /** Series selected from storage, read on demand (some may have no samples in range). */
    static RangeVector stored(List<Series> series, long rangeMs, long offsetMs, Long atMs) {
        return new RangeVector(series, null, rangeMs, offsetMs, atMs);
    }

    /** Series already evaluated (a subquery's points). */
    static RangeVector computed(List<RawSeries> series, long rangeMs, long offsetMs, Long atMs) {
        return new RangeVector(null, series, rangeMs, offsetMs, atMs);
    }

    int size() {
        return stored != null ? stored.size() : computed.size();
    }

    /**
     * Series {@code i} without staleness markers (range vectors ignore them). Read from storage
     * into {@code buffer} when one is given, and then valid only until the buffer's next use;
     * with none, in arrays of its own. Safe to call from several threads with their own buffers.
     */
    RawSeries series(int i, Samples buffer) {
        if (computed != null) {
            return computed.get(i);
        }
        Series series = stored.get(i);
        Samples s = buffer != null ? series.samples(buffer) : series.samples();
        long[] ts = s.timestamps();
        double[] v = s.values();
        int n = s.size();
        int stale = 0;
        for (int k = 0; k < n; k++) {
            if (Values.isStaleNaN(v[k])) {
                stale++;
            }
        }
        if (stale == 0) {
            return new RawSeries(series.labels(), ts, v, n);
        }
        long[] t2 = new long[n - stale];
        double[] v2 = new double[n - stale];
        int j = 0;
        for (int k = 0; k < n; k++) {
            if (!Values.isStaleNaN(v[k])) {
                t2[j] = ts[k];
                v2[j] = v[k];
                j++;
            }
        }
        return new RawSeries(series.labels(), t2, v2, j);
    }

    long rangeMs() {
        return rangeMs;
    }

    long windowEnd(long stepTimeMs) {
        return (atMs != null ? atMs : stepTimeMs) - offsetMs;
    }
}

package dev.sandglass.storage.rollup;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.RollupSeries;
import java.util.Arrays;

/**
 * Growable columns of rollup windows of one series at one resolution (see {@link RollupSeries}
 * for what each column holds). Samples are added in time order; entries for the same window
 * from different sources (a window that spans two seals) are merged exactly, because every
 * figure composes: counts and sums add, extremes compare, the earlier part gives the first value
 * and the later the last, and the counter corrections add, with the one across the seam.
 */
public final class Windows {
    final long resolutionMs;
    int size;
    long[] start;
    long[] firstT;
    long[] lastT;
    double[] count;
    double[] sum;
    double[] min;
    double[] max;
    double[] first;
    double[] last;
    /** Prometheus's counter correction: the sum of the value before each decrease. */
    double[] corr;
    /**
     * Prometheus's changes() and resets() over the window's samples: consecutive pairs that differ
     * (NaN to NaN is no change) and that decrease. NaN when unknown (read from a version 1 or 2
     * excerpt, or merged with such a part).
     */
    double[] chg;
    double[] rst;

    public Windows(long resolutionMs, int capacity) {
        this.resolutionMs = resolutionMs;
        int c = Math.max(capacity, 1);
        start = new long[c];
        firstT = new long[c];
        lastT = new long[c];
        count = new double[c];
        sum = new double[c];
        min = new double[c];
        max = new double[c];
        first = new double[c];
        last = new double[c];
        corr = new double[c];
        chg = new double[c];
        rst = new double[c];
    }

    public int size() {
        return size;
    }

    public long resolutionMs() {
        return resolutionMs;
    }

    /** The start of the window holding {@code t}. */
    public static long windowOf(long t, long resolutionMs) {
        return Math.floorDiv(t, resolutionMs) * resolutionMs;
    }

    /** Adds a sample later than every sample added before; staleness markers are skipped. */
    public void add(long t, double v) {
        WindowFigures.add(this, t, v);
    }

    /**
     * Adds {@code n} samples from {@code off} of parallel arrays in time order: as {@link #add}
     * one by one, with the same figures bit for bit (see {@link WindowFigures#addAll}).
     */
    public void addAll(long[] t, double[] v, int off, int n) {
        WindowFigures.addAll(this, t, v, off, n);
    }

    /** Appends entry {@code j} of {@code other} as it is (same resolution). */
    public void append(Windows o, int j) {
        int i = grow();
        start[i] = o.start[j];
        firstT[i] = o.firstT[j];
        lastT[i] = o.lastT[j];
        count[i] = o.count[j];
        sum[i] = o.sum[j];
        min[i] = o.min[j];
        max[i] = o.max[j];
        first[i] = o.first[j];
        last[i] = o.last[j];
        corr[i] = o.corr[j];
        chg[i] = o.chg[j];
        rst[i] = o.rst[j];
    }

    /** Folds entry {@code j} of {@code o} into entry {@code i}, the same window (see {@link WindowFigures#merge}). */
    void mergeInto(int i, Windows o, int j) {
        WindowFigures.merge(this, i, o, j);
    }

    /** Room for {@code more} windows beyond those held, so adding them copies no column. */
    void reserve(int more) {
        if (size + more > start.length) {
            resize(Math.max(size + more, size + (size >> 1)));
        }
    }

    /** Removes {@code n} entries at {@code at}, moving those after it, up to {@code end}, down. */
    void remove(int at, int n, int end) {
        for (Object a : new Object[] {start, firstT, lastT, count, sum, min, max, first, last, corr, chg, rst}) {
            System.arraycopy(a, at + n, a, at, end - at - n);
        }
    }

    /** Keeps the windows starting in [from, to], in place (these windows must be in window order). */
    public void keepWithin(long from, long to) {
        int lo = 0;
        while (lo < size && start[lo] < from) {
            lo++;
        }
        int hi = size;
        while (hi > lo && start[hi - 1] > to) {
            hi--;
        }
        if (lo > 0) {
            remove(0, lo, hi);
        }
        size = hi - lo;
    }

    int grow() {
        if (size == start.length) {
            resize(size * 2);
        }
        return size++;
    }

    private void resize(int c) {
        start = Arrays.copyOf(start, c);
        firstT = Arrays.copyOf(firstT, c);
        lastT = Arrays.copyOf(lastT, c);
        count = Arrays.copyOf(count, c);
        sum = Arrays.copyOf(sum, c);
        min = Arrays.copyOf(min, c);
        max = Arrays.copyOf(max, c);
        first = Arrays.copyOf(first, c);
        last = Arrays.copyOf(last, c);
        corr = Arrays.copyOf(corr, c);
        chg = Arrays.copyOf(chg, c);
        rst = Arrays.copyOf(rst, c);
    }

    /**
     * The parts in one series' window order: sorted by window, then by first sample, with the
     * parts of one window merged ({@link WindowsMerge}). Parts come from separate rollup excerpts
     * and from raw data not rolled up yet; each is in time order by itself.
     */
    public static Windows merge(long resolutionMs, java.util.List<Windows> parts) {
        return WindowsMerge.merge(resolutionMs, parts);
    }

    /** The windows starting in [from, to] (this, when all do). */
    public Windows clip(long from, long to) {
        if (size == 0 || (start[0] >= from && start[size - 1] <= to)) {
            return this;
        }
        Windows out = new Windows(resolutionMs, size);
        for (int i = 0; i < size; i++) {
            if (start[i] >= from && start[i] <= to) {
                out.append(this, i);
            }
        }
        return out;
    }

    /** These windows sorted by start with one entry per window (this, when already so). */
    public Windows inWindowOrder() {
        for (int i = 1; i < size; i++) {
            if (start[i] <= start[i - 1]) {
                return merge(resolutionMs, java.util.List.of(this, new Windows(resolutionMs, 1)));
            }
        }
        return this;
    }

    /**
     * The columns as the read API's value without copying them (entries from size on are not
     * windows): this must not be changed afterwards.
     */
    public RollupSeries handOver(Labels labels) {
        return new RollupSeries(labels, resolutionMs, size, start, firstT, lastT, count, sum, min, max, first, last, corr, chg, rst);
    }

    /** The columns as the read API's value, trimmed to size. */
    public RollupSeries toSeries(Labels labels) {
        return new RollupSeries(labels, resolutionMs, size, Arrays.copyOf(start, size), Arrays.copyOf(firstT, size),
                Arrays.copyOf(lastT, size), Arrays.copyOf(count, size), Arrays.copyOf(sum, size), Arrays.copyOf(min, size),
                Arrays.copyOf(max, size), Arrays.copyOf(first, size), Arrays.copyOf(last, size), Arrays.copyOf(corr, size),
                Arrays.copyOf(chg, size), Arrays.copyOf(rst, size));
    }
}

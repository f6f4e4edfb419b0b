package dev.sandglass.storage.rollup;

import dev.sandglass.storage.api.RollupSeries;
import dev.sandglass.storage.api.Values;

/**
 * How the figures of a {@link Windows} entry take samples and other parts of its window: counts
 * and sums add, extremes compare (a NaN gives way to any number, as Prometheus's
 * max_over_time/min_over_time), the earlier part gives the first value and the later the last,
 * and the counter corrections, changes and resets add, with the one across the seam. Static, over
 * the columns of the Windows given.
 */
final class WindowFigures {
    private WindowFigures() {
    }

    /** Starts window {@code w} with its first sample; returns its entry. */
    static int open(Windows ws, long w, long t, double v) {
        int i = ws.grow();
        ws.start[i] = w;
        ws.firstT[i] = t;
        ws.lastT[i] = t;
        ws.count[i] = 1;
        ws.sum[i] = v;
        ws.min[i] = v;
        ws.max[i] = v;
        ws.first[i] = v;
        ws.last[i] = v;
        ws.corr[i] = 0;
        ws.chg[i] = 0;
        ws.rst[i] = 0;
        return i;
    }

    /** Adds a sample later than every sample added before; staleness markers are skipped. */
    static void add(Windows ws, long t, double v) {
        if (Values.isStaleNaN(v)) {
            return;
        }
        long w = Windows.windowOf(t, ws.resolutionMs);
        if (ws.size == 0 || ws.start[ws.size - 1] != w) {
            open(ws, w, t, v);
            return;
        }
        int i = ws.size - 1;
        if (v < ws.last[i]) {
            ws.corr[i] += ws.last[i];
            ws.rst[i] += 1;
        }
        if (RollupSeries.changed(ws.last[i], v)) {
            ws.chg[i] += 1;
        }
        ws.lastT[i] = t;
        ws.last[i] = v;
        ws.count[i] += 1;
        ws.sum[i] += v;
        // As Prometheus's max_over_time/min_over_time: a NaN gives way to any number.
        if (v > ws.max[i] || Double.isNaN(ws.max[i])) {
            ws.max[i] = v;
        }
        if (v < ws.min[i] || Double.isNaN(ws.min[i])) {
            ws.min[i] = v;
        }
    }

    /**
     * Adds {@code n} samples from {@code off} of parallel arrays in time order: as {@link #add}
     * one by one, with the same figures bit for bit (the same additions in the same order), but
     * a window's figures are kept in locals while its samples last and stored once, and the
     * window is tested with a subtraction instead of a division per sample (imports and seals
     * roll up every sample they write).
     */
    static void addAll(Windows ws, long[] t, double[] v, int off, int n) {
        int k = off;
        int end = off + n;
        while (k < end) {
            double x = v[k];
            if (Values.isStaleNaN(x)) {
                k++;
                continue;
            }
            long w = Windows.windowOf(t[k], ws.resolutionMs);
            int i;
            if (ws.size > 0 && ws.start[ws.size - 1] == w) {
                i = ws.size - 1; // the sample continues the last window (k is taken in the loop)
            } else {
                i = open(ws, w, t[k], x);
                k++;
            }
            long lt = ws.lastT[i];
            double cnt = ws.count[i];
            double sm = ws.sum[i];
            double mn = ws.min[i];
            double mx = ws.max[i];
            double lst = ws.last[i];
            double cr = ws.corr[i];
            double cg = ws.chg[i];
            double rs = ws.rst[i];
            // Same window while t - w < resolution (unsigned: exact for any t not before w).
            for (; k < end && Long.compareUnsigned(t[k] - w, ws.resolutionMs) < 0; k++) {
                x = v[k];
                if (Values.isStaleNaN(x)) {
                    continue;
                }
                if (x < lst) {
                    cr += lst;
                    rs += 1;
                }
                if (RollupSeries.changed(lst, x)) {
                    cg += 1;
                }
                lt = t[k];
                lst = x;
                cnt += 1;
                sm += x;
                if (x > mx || Double.isNaN(mx)) {
                    mx = x;
                }
                if (x < mn || Double.isNaN(mn)) {
                    mn = x;
                }
            }
            ws.lastT[i] = lt;
            ws.count[i] = cnt;
            ws.sum[i] = sm;
            ws.min[i] = mn;
            ws.max[i] = mx;
            ws.last[i] = lst;
            ws.corr[i] = cr;
            ws.chg[i] = cg;
            ws.rst[i] = rs;
        }
    }

    /**
     * Folds entry {@code j} of {@code o}, whose first sample is not before entry {@code i}'s, into
     * entry i (same window). When o's samples all come at or after i's last, every figure is exact.
     * When they interleave (a sample written late into a window a seal had already rolled up),
     * first and last still follow the samples' times and count, sum, min and max are exact, but
     * the correction, changes and resets add the parts' own only: no reset or change is assumed
     * between interleaved parts. Changes and resets stay NaN (unknown) when either part's are.
     */
    static void merge(Windows ws, int i, Windows o, int j) {
        if (o.firstT[j] >= ws.lastT[i]) {
            if (o.first[j] < ws.last[i]) {
                ws.corr[i] += ws.last[i];
                ws.rst[i] += 1;
            }
            if (RollupSeries.changed(ws.last[i], o.first[j])) {
                ws.chg[i] += 1;
            }
            ws.lastT[i] = o.lastT[j];
            ws.last[i] = o.last[j];
        } else if (o.lastT[j] >= ws.lastT[i]) {
            ws.lastT[i] = o.lastT[j];
            ws.last[i] = o.last[j];
        }
        ws.corr[i] += o.corr[j];
        ws.chg[i] += o.chg[j];
        ws.rst[i] += o.rst[j];
        ws.count[i] += o.count[j];
        ws.sum[i] += o.sum[j];
        if (o.max[j] > ws.max[i] || Double.isNaN(ws.max[i])) {
            ws.max[i] = o.max[j];
        }
        if (o.min[j] < ws.min[i] || Double.isNaN(ws.min[i])) {
            ws.min[i] = o.min[j];
        }
    }
}

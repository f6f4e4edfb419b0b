package dev.sandglass.query.engine;

import dev.sandglass.query.functions.RangeFunctions;
import dev.sandglass.storage.api.RollupSeries;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Values;

/**
 * changes() and resets() past raw retention, from the rollup windows' counts (rollup format 3):
 * the series becomes a running count, at each window's first and last sample, of the changes (or
 * resets) since the first window, within windows and between them; raw samples after the split
 * continue it. The count over a range is then its last point less its first, which {@link #DEF}
 * computes: every window whose samples all lie in the range counts exactly, as do the seams
 * between them; a window straddling the range's start counts from its last sample on.
 */
final class RollupCounts {
    /** The function over the running count: last point less first (one point: 0, as changes() of one sample). */
    static final RangeFunctions.Def DEF = new RangeFunctions.Def("rollup count", w -> {
        w.result = w.v[w.to - 1] - w.v[w.from];
        return true;
    }, false, false, null, null);

    private RollupCounts() {
    }

    /** Whether {@code cur} after {@code prev} counts: for resets a decrease, else a change (NaN to NaN is none). */
    static boolean counts(double prev, double cur, boolean resets) {
        return resets ? cur < prev : RollupSeries.changed(prev, cur);
    }

    /**
     * The running count at windows {@code [0, n)} of {@code r}. A window stored before rollup
     * format 3 (no counts) adds what its first and last value show: a change when they differ, a
     * reset when its counter correction is positive (at most one each).
     */
    static void points(RollupSeries r, int n, boolean resets, Samples out) {
        double c = 0;
        for (int k = 0; k < n; k++) {
            if (k > 0) {
                c += resets ? r.seamReset(k) : r.seamChange(k);
            }
            if (r.firstT()[k] != r.lastT()[k]) {
                out.add(r.firstT()[k], c);
            }
            c += resets ? r.resetsWithin(k) : r.changesWithin(k);
            out.add(r.lastT()[k], c);
        }
    }

    /** How many of {@code r}'s windows start before {@code split}. */
    static int before(RollupSeries r, long split) {
        int n = 0;
        while (n < r.size() && r.windowStart()[n] < split) {
            n++;
        }
        return n;
    }

    /**
     * Turns raw samples {@code [from, size)} of {@code s} into the running count, continuing the
     * points before them: {@code prev} is the real value of the last rolled-up sample (NaN and
     * {@code hasPrev} false when none). Staleness markers stay as they are and count nothing.
     */
    static void continueRaw(Samples s, int from, boolean resets, double prev, boolean hasPrev) {
        double[] v = s.values();
        double c = from > 0 ? v[from - 1] : 0;
        boolean any = hasPrev;
        for (int i = from; i < s.size(); i++) {
            double x = v[i];
            if (Values.isStaleNaN(x)) {
                continue;
            }
            if (any && counts(prev, x, resets)) {
                c++;
            }
            prev = x;
            any = true;
            v[i] = c;
        }
    }
}

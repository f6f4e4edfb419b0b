package dev.sandglass.storage.api;

/**
 * One series' rollup windows at one resolution, in time order, one entry per window: the window's
 * start (aligned to a multiple of the resolution since the epoch, so to wall-clock minutes and
 * hours in UTC), the times of its first and last sample, and over the samples in it (staleness
 * markers left out): count, sum, min, max, first and last value, and the counter correction as
 * Prometheus computes it for rate and increase: the sum of the value before each decrease (a
 * reset). Also Prometheus's {@code changes()} and {@code resets()} over the window's samples: the
 * consecutive pairs whose values differ (NaN to NaN is no change) and the pairs whose value
 * decreased; both NaN where unknown (windows written before rollup format 3: a reader then falls
 * back on first/last and correction, see storage/FORMAT.md). Between two windows see
 * {@link #seamCorrection(int)}, {@link #seamChange(int)} and {@link #seamReset(int)}. Entries
 * {@code [0, size)} are the windows; the arrays may be longer.
 */
public record RollupSeries(Labels labels, long resolutionMs, int size, long[] windowStart, long[] firstT, long[] lastT,
        double[] count, double[] sum, double[] min, double[] max, double[] first, double[] last, double[] correction,
        double[] changes, double[] resets) {

    /** The reset-adjusted increase from the first to the last sample of window {@code i} (no extrapolation). */
    public double increase(int i) {
        return last[i] - first[i] + correction[i];
    }

    /** The counter correction between window {@code i - 1}'s last sample and window {@code i}'s first. */
    public double seamCorrection(int i) {
        return first[i] < last[i - 1] ? last[i - 1] : 0;
    }

    /** Whether {@code cur} after {@code prev} is a change as Prometheus's changes() counts one: they differ, and are not both NaN. */
    public static boolean changed(double prev, double cur) {
        return cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev));
    }

    /** 1 when window {@code i}'s first value differs from window {@code i - 1}'s last (as changes() counts), else 0. */
    public int seamChange(int i) {
        return changed(last[i - 1], first[i]) ? 1 : 0;
    }

    /** 1 when window {@code i}'s first value is below window {@code i - 1}'s last (as resets() counts), else 0. */
    public int seamReset(int i) {
        return first[i] < last[i - 1] ? 1 : 0;
    }

    /** Whether window {@code i} has its changes and resets (written in rollup format 3 or later). */
    public boolean hasChanges(int i) {
        return !Double.isNaN(changes[i]) && !Double.isNaN(resets[i]);
    }

    /**
     * Window {@code i}'s changes; for a window written before rollup format 3 (no count), 1 when
     * its first and last value differ, else 0: a lower bound.
     */
    public double changesWithin(int i) {
        return hasChanges(i) ? changes[i] : changed(first[i], last[i]) ? 1 : 0;
    }

    /**
     * Window {@code i}'s resets; for a window written before rollup format 3 (no count), 1 when its
     * counter correction is positive, else 0: a lower bound.
     */
    public double resetsWithin(int i) {
        return hasChanges(i) ? resets[i] : correction[i] > 0 ? 1 : 0;
    }

    /** The mean of window {@code i}: sum / count. */
    public double mean(int i) {
        return sum[i] / count[i];
    }
}

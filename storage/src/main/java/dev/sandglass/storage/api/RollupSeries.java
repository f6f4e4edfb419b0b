package dev.sandglass.storage.api;

/**
 * One series' rollup windows at one resolution, in time order, one entry per window: the window's
 * start (aligned to a multiple of the resolution since the epoch, so to wall-clock minutes and
 * hours in UTC), the times of its first and last sample, and over the samples in it (staleness
 * markers left out): count, sum, min, max, first and last value, and the counter correction as
 * Prometheus computes it for rate and increase: the sum of the value before each decrease (a
 * reset). Between two windows see {@link #seamCorrection(int)}. Entries {@code [0, size)} are the
 * windows; the arrays may be longer.
 */
public record RollupSeries(Labels labels, long resolutionMs, int size, long[] windowStart, long[] firstT, long[] lastT,
        double[] count, double[] sum, double[] min, double[] max, double[] first, double[] last, double[] correction) {

    /** The reset-adjusted increase from the first to the last sample of window {@code i} (no extrapolation). */
    public double increase(int i) {
        return last[i] - first[i] + correction[i];
    }

    /** The counter correction between window {@code i - 1}'s last sample and window {@code i}'s first. */
    public double seamCorrection(int i) {
        return first[i] < last[i - 1] ? last[i - 1] : 0;
    }

    /** The mean of window {@code i}: sum / count. */
    public double mean(int i) {
        return sum[i] / count[i];
    }
}

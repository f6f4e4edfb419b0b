package dev.sandglass.query.functions;

import dev.sandglass.storage.api.Samples;

/**
 * The samples of one series inside one range-selector window, as a view over shared arrays:
 * indexes {@code [from, to)} of {@code t} and {@code v}, never copied. The evaluator slides the
 * indexes from step to step; functions read them and write {@link #result}.
 */
public final class Window {
    public long[] t;
    public double[] v;
    public int from;
    public int to;
    /** Evaluation time of the step (predict_linear extrapolates from it). */
    public long evalTimeMs;
    /** {@code evalTime - offset - range} and {@code evalTime - offset}: the window's closed bounds. */
    public long rangeStartMs;
    public long rangeEndMs;
    public long rangeMs;
    /** Values, at this step, of the call's scalar arguments, by argument position. */
    public double[] scalarArgs;
    public double result;
    /** Where the evaluator reads each series from storage, reused from one series to the next. */
    public final Samples buffer = new Samples();
    private double[] scratch = new double[64];
    private int[] resets = new int[16];
    private int resetCount = -1;
    /** Number of valid samples in the series arrays (they may be longer). */
    private int seriesSize;

    /** A series' window bounds (sample indexes) at each step that has samples, and results of a {@link RangeFunctions.Batch}. */
    public int[] batchFrom = new int[0];
    public int[] batchTo = new int[0];
    public int[] batchStep = new int[0];
    public double[] batchOut = new double[0];

    /** Makes the batch arrays hold at least {@code n} windows. */
    public void batch(int n) {
        if (batchFrom.length < n) {
            batchFrom = new int[n];
            batchTo = new int[n];
            batchStep = new int[n];
            batchOut = new double[n];
        }
    }

    public int size() {
        return to - from;
    }

    /** A reusable buffer of at least {@code n} doubles (quantile sorts into it). */
    public double[] scratch(int n) {
        if (scratch.length < n) {
            scratch = new double[Math.max(n, scratch.length * 2)];
        }
        return scratch;
    }

    /** Called by the evaluator when the arrays change to another series: drops per-series indexes. */
    public void newSeries(long[] t, double[] v, int size) {
        this.t = t;
        this.v = v;
        this.seriesSize = size;
        this.resetCount = -1;
    }

    /**
     * {@code start} plus, one by one in time order (so rounding matches Prometheus's loop), the
     * value just before each counter reset inside the window, a reset being a sample lower than
     * its predecessor. Reset positions of the whole series are found once, so a long window costs
     * only its resets.
     */
    public double addResetCorrection(double start) {
        if (resetCount < 0) {
            indexResets();
        }
        int k = firstResetAfter(from);
        double sum = start;
        for (; k < resetCount && resets[k] < to; k++) {
            sum += v[resets[k] - 1];
        }
        return sum;
    }

    /** Number of counter resets inside the window. */
    public int resetsInWindow() {
        if (resetCount < 0) {
            indexResets();
        }
        int k = firstResetAfter(from);
        int n = 0;
        for (; k < resetCount && resets[k] < to; k++) {
            n++;
        }
        return n;
    }

    /** Index into the reset list of the first reset at a position greater than {@code i}. */
    private int firstResetAfter(int i) {
        int lo = 0;
        int hi = resetCount;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (resets[mid] <= i) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void indexResets() {
        resetCount = 0;
        for (int i = 1; i < seriesSize; i++) {
            if (v[i] < v[i - 1]) {
                if (resetCount == resets.length) {
                    resets = java.util.Arrays.copyOf(resets, resetCount * 2);
                }
                resets[resetCount++] = i;
            }
        }
    }
}

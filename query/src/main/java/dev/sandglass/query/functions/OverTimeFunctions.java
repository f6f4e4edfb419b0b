package dev.sandglass.query.functions;

/** The {@code *_over_time} family: aggregations of each window's samples, as Prometheus 2.42 computes them. */
final class OverTimeFunctions {
    private OverTimeFunctions() {
    }

    /** Incremental mean with compensation, including Prometheus 2.42's handling of infinities. */
    static boolean avg(Window w) {
        w.result = avg(w.v, w.from, w.to);
        return true;
    }

    static double avg(double[] v, int from, int to) {
        KahanSum mean = new KahanSum();
        double count = 0;
        for (int i = from; i < to; i++) {
            double x = v[i];
            count++;
            if (Double.isInfinite(mean.sum)) {
                if (Double.isInfinite(x) && (mean.sum > 0) == (x > 0)) {
                    continue;
                }
                if (!Double.isInfinite(x) && !Double.isNaN(x)) {
                    continue;
                }
            }
            mean.add(x / count - mean.sum / count);
        }
        return Double.isInfinite(mean.sum) ? mean.sum : mean.value();
    }

    /** Largest magnitude for which no partial mean can overflow: below it the infinity cases never arise. */
    private static final double SAFE = 1e300;

    /**
     * avg_over_time of many windows of one series, bit for bit as {@link #avg(double[], int, int)}.
     * Each window's mean is one long chain of dependent divisions and additions; four windows are
     * advanced together so the processor overlaps their chains instead of waiting on each in turn.
     */
    static void avgAll(double[] v, int[] from, int[] to, int windows, double[] out) {
        if (windows == 0) {
            return;
        }
        boolean safe = true;
        for (int i = from[0], end = to[windows - 1]; i < end && safe; i++) {
            safe = Math.abs(v[i]) <= SAFE; // false for NaN too
        }
        int k = 0;
        if (safe) {
            for (; k + 4 <= windows; k += 4) {
                avg4(v, from, to, k, out);
            }
        }
        for (; k < windows; k++) {
            out[k] = avg(v, from[k], to[k]);
        }
    }

    private static void avg4(double[] v, int[] from, int[] to, int k, double[] out) {
        int f0 = from[k];
        int f1 = from[k + 1];
        int f2 = from[k + 2];
        int f3 = from[k + 3];
        int common = Math.min(Math.min(to[k] - f0, to[k + 1] - f1), Math.min(to[k + 2] - f2, to[k + 3] - f3));
        double s0 = 0;
        double c0 = 0;
        double s1 = 0;
        double c1 = 0;
        double s2 = 0;
        double c2 = 0;
        double s3 = 0;
        double c3 = 0;
        double n = 0;
        for (int j = 0; j < common; j++) {
            n++;
            double x0 = v[f0 + j] / n - s0 / n;
            double x1 = v[f1 + j] / n - s1 / n;
            double x2 = v[f2 + j] / n - s2 / n;
            double x3 = v[f3 + j] / n - s3 / n;
            double t0 = s0 + x0;
            double t1 = s1 + x1;
            double t2 = s2 + x2;
            double t3 = s3 + x3;
            c0 += Math.abs(s0) >= Math.abs(x0) ? (s0 - t0) + x0 : (x0 - t0) + s0;
            c1 += Math.abs(s1) >= Math.abs(x1) ? (s1 - t1) + x1 : (x1 - t1) + s1;
            c2 += Math.abs(s2) >= Math.abs(x2) ? (s2 - t2) + x2 : (x2 - t2) + s2;
            c3 += Math.abs(s3) >= Math.abs(x3) ? (s3 - t3) + x3 : (x3 - t3) + s3;
            s0 = t0;
            s1 = t1;
            s2 = t2;
            s3 = t3;
        }
        out[k] = finish(v, f0 + common, to[k], n, s0, c0);
        out[k + 1] = finish(v, f1 + common, to[k + 1], n, s1, c1);
        out[k + 2] = finish(v, f2 + common, to[k + 2], n, s2, c2);
        out[k + 3] = finish(v, f3 + common, to[k + 3], n, s3, c3);
    }

    /** The rest of one window's mean from a state after {@code n} samples (finite inputs only). */
    private static double finish(double[] v, int from, int to, double n, double sum, double c) {
        KahanSum mean = new KahanSum();
        mean.sum = sum;
        mean.c = c;
        for (int i = from; i < to; i++) {
            n++;
            mean.add(v[i] / n - mean.sum / n);
        }
        return mean.value();
    }

    /** Unit roundoff of doubles: a rounded operation is off by at most this times its magnitude. */
    private static final double U = 0x1p-53;

    /**
     * Intervals certain to hold {@link #avg(double[], int, int)} of each window, from prefix sums
     * (one pass over the series, then constant time per window) and two error bounds, for n
     * values of magnitude at most V:
     * <ul>
     * <li>The prefix sums. The computed sum after j values is off from the exact sum of its
     * inputs by at most U times its magnitude, which is at most about j V. A window's difference
     * of two prefix sums carries only the errors made inside the window, at most U n t V for a
     * window ending t values into the prefix, plus the subtraction's and the division's
     * roundings.</li>
     * <li>Prometheus's incremental mean. With d_k its distance from the exact mean after k
     * values and C_k the rounding the uncompensated sum has lost, k d_k = (k-1) d_(k-1) +
     * C_(k-1) + k eta_k, where |C_(k-1)| &lt;= (k-1) U V and |k eta_k| &lt;= 2 U (V + V) for the
     * three roundings of one term; so |d_n| &lt;= U V ((n-1)/2 + 4), plus U V for the final
     * compensated add. Half of U V (n + 12) covers that with room to spare.</li>
     * </ul>
     * Windows of a series holding NaN, infinities or magnitudes that could overflow a sum get
     * {@code [-Inf, +Inf]}.
     */
    static void avgBounds(double[] v, int[] from, int[] to, int windows, double[] lo, double[] hi, Window scratch) {
        if (windows == 0) {
            return;
        }
        int first = from[0];
        int last = to[0];
        for (int k = 1; k < windows; k++) {
            first = Math.min(first, from[k]);
            last = Math.max(last, to[k]);
        }
        int len = last - first;
        // p[i] is the sum of the first i values from the first window's start.
        double[] p = scratch.scratch(len + 1);
        double sum = 0;
        double max = 0;
        p[0] = 0;
        for (int i = 0; i < len; i++) {
            double x = v[first + i];
            sum += x;
            p[i + 1] = sum;
            double a = Math.abs(x);
            if (a > max) {
                max = a;
            }
        }
        if (!(max * len <= SAFE) || !Double.isFinite(sum)) { // a NaN or infinity leaves the sum NaN or infinite
            java.util.Arrays.fill(lo, 0, windows, Double.NEGATIVE_INFINITY);
            java.util.Arrays.fill(hi, 0, windows, Double.POSITIVE_INFINITY);
            return;
        }
        for (int k = 0; k < windows; k++) {
            int f = from[k] - first;
            int t = to[k] - first;
            int n = t - f;
            double mean = (p[t] - p[f]) / n;
            double slack = 1.01 * U * (1.01 * t * max + 3 * Math.abs(mean) + max * (n + 12)) + 4.0 * n * Double.MIN_VALUE;
            lo[k] = Math.nextDown(mean - slack);
            hi[k] = Math.nextUp(mean + slack);
        }
    }

    static boolean sum(Window w) {
        KahanSum sum = new KahanSum();
        for (int i = w.from; i < w.to; i++) {
            sum.add(w.v[i]);
        }
        w.result = Double.isInfinite(sum.sum) ? sum.sum : sum.value();
        return true;
    }

    static boolean count(Window w) {
        w.result = w.size();
        return true;
    }

    /** NaN is replaced by any later value, so NaN wins only when every sample is NaN. */
    static boolean max(Window w) {
        double max = w.v[w.from];
        for (int i = w.from; i < w.to; i++) {
            max = fold(max, w.v[i], true);
        }
        w.result = max;
        return true;
    }

    /**
     * max_over_time (or min) of every window of one series, each sample looked at once: the
     * windows' bounds cut the series into segments, each segment is folded once, and a window
     * folds its segments. The fold is the one-window loop's step (a value replaces the running
     * one when greater, or when the running one is NaN), which is associative, so a window's
     * answer is the loop's to the bit: NaN only when the window has nothing else (then its last
     * NaN), and among equal values (-0 and +0) the earliest. Windows only move forward.
     */
    static void maxAll(double[] v, int[] from, int[] to, int windows, double[] out) {
        extremeAll(v, from, to, windows, out, true);
    }

    static void minAll(double[] v, int[] from, int[] to, int windows, double[] out) {
        extremeAll(v, from, to, windows, out, false);
    }

    private static void extremeAll(double[] v, int[] from, int[] to, int windows, double[] out, boolean max) {
        // Every window start and end, merged in order without repeats.
        int[] bounds = new int[2 * windows];
        int nb = 0;
        int i = 0;
        int j = 0;
        while (i < windows || j < windows) {
            int b = j >= windows || (i < windows && from[i] <= to[j]) ? from[i++] : to[j++];
            if (nb == 0 || bounds[nb - 1] != b) {
                bounds[nb++] = b;
            }
        }
        double[] seg = new double[nb];
        for (int k = 0; k + 1 < nb; k++) {
            double acc = v[bounds[k]];
            for (int p = bounds[k] + 1, end = bounds[k + 1]; p < end; p++) {
                acc = fold(acc, v[p], max);
            }
            seg[k] = acc;
        }
        int s = 0;
        int e = 0;
        for (int w = 0; w < windows; w++) {
            while (bounds[s] < from[w]) {
                s++;
            }
            while (bounds[e] < to[w]) {
                e++;
            }
            double acc = seg[s];
            for (int k = s + 1; k < e; k++) {
                acc = fold(acc, seg[k], max);
            }
            out[w] = acc;
        }
    }

    /** The one-window loop's step: {@code x} replaces the running value when greater (or less), or when that is NaN. */
    private static double fold(double acc, double x, boolean max) {
        return (max ? x > acc : x < acc) || acc != acc ? x : acc;
    }

    static boolean min(Window w) {
        double min = w.v[w.from];
        for (int i = w.from; i < w.to; i++) {
            min = fold(min, w.v[i], false);
        }
        w.result = min;
        return true;
    }

    static boolean last(Window w) {
        w.result = w.v[w.to - 1];
        return true;
    }

    static boolean present(Window w) {
        w.result = 1;
        return true;
    }

    static boolean quantile(Window w, double q) {
        int n = w.size();
        double[] buf = w.scratch(n);
        System.arraycopy(w.v, w.from, buf, 0, n);
        w.result = Quantiles.quantile(q, buf, n);
        return true;
    }

    /** Welford's variance with compensated sums, as Prometheus's stdvar_over_time. */
    static double variance(Window w) {
        double count = 0;
        KahanSum mean = new KahanSum();
        KahanSum aux = new KahanSum();
        for (int i = w.from; i < w.to; i++) {
            double v = w.v[i];
            count++;
            double delta = v - (mean.sum + mean.c);
            mean.add(delta / count);
            aux.add(delta * (v - (mean.sum + mean.c)));
        }
        return (aux.sum + aux.c) / count;
    }

    static boolean stdvar(Window w) {
        w.result = variance(w);
        return true;
    }

    static boolean stddev(Window w) {
        w.result = Math.sqrt(variance(w));
        return true;
    }
}

package dev.sandglass.query.capacity;

import java.util.Arrays;

/** Quantiles as Prometheus's quantile_over_time computes them: linear between the nearest ranks. */
final class Percentiles {
    private Percentiles() {
    }

    /** The q-quantile of the first n values (NaN-free); NaN when n is 0. Sorts a copy. */
    static double of(double[] values, int n, double q) {
        if (n == 0) {
            return Double.NaN;
        }
        double[] v = Arrays.copyOf(values, n);
        Arrays.sort(v);
        double rank = q * (n - 1);
        int lo = (int) Math.max(0, Math.floor(rank));
        int hi = (int) Math.min(n - 1, lo + 1);
        double w = rank - Math.floor(rank);
        return v[lo] * (1 - w) + v[hi] * w;
    }
}

package dev.sandglass.query.functions;

import java.util.Arrays;

/** Prometheus's quantile estimators: over plain values (quantile, quantile_over_time) and over classic buckets. */
public final class Quantiles {
    private Quantiles() {
    }

    /**
     * The q-quantile of {@code values[0, n)} with linear interpolation between the closest ranks
     * (Prometheus's quantile). Sorts the array prefix in place; NaNs sort first, as Prometheus's
     * ordering puts them (so they count as the smallest values).
     */
    public static double quantile(double q, double[] values, int n) {
        if (n == 0 || Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        Arrays.sort(values, 0, n);
        int nans = 0;
        while (nans < n && Double.isNaN(values[n - 1 - nans])) {
            nans++;
        }
        if (nans > 0) {
            // Arrays.sort puts NaN last; rotate them to the front.
            System.arraycopy(values, 0, values, nans, n - nans);
            Arrays.fill(values, 0, nans, Double.NaN);
        }
        double rank = q * (n - 1);
        double lower = Math.max(0, Math.floor(rank));
        double upper = Math.min(n - 1, lower + 1);
        double weight = rank - Math.floor(rank);
        return values[(int) lower] * (1 - weight) + values[(int) upper] * weight;
    }

    /**
     * Prometheus's bucketQuantile over classic buckets given as parallel arrays (upper bounds and
     * cumulative counts, any order): sorts them, merges equal bounds, forces counts monotonic,
     * then interpolates linearly inside the bucket holding the rank.
     */
    public static double bucketQuantile(double q, double[] upperBounds, double[] counts, int n) {
        if (Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        sortByBound(upperBounds, counts, n);
        if (upperBounds[n - 1] != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        int m = 0;
        for (int i = 1; i < n; i++) {
            if (upperBounds[i] == upperBounds[m]) {
                counts[m] += counts[i];
            } else {
                m++;
                upperBounds[m] = upperBounds[i];
                counts[m] = counts[i];
            }
        }
        n = m + 1;
        double max = counts[0];
        for (int i = 1; i < n; i++) {
            if (counts[i] > max) {
                max = counts[i];
            } else if (counts[i] < max) {
                counts[i] = max;
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        double observations = counts[n - 1];
        if (observations == 0) {
            return Double.NaN;
        }
        double rank = q * observations;
        int b = 0;
        // First bucket (among all but the last) whose count reaches the rank, as sort.Search finds it.
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (counts[mid] >= rank) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        b = lo;
        if (b == n - 1) {
            return upperBounds[n - 2];
        }
        if (b == 0 && upperBounds[0] <= 0) {
            return upperBounds[0];
        }
        double bucketStart = 0;
        double bucketEnd = upperBounds[b];
        double count = counts[b];
        if (b > 0) {
            bucketStart = upperBounds[b - 1];
            count -= counts[b - 1];
            rank -= counts[b - 1];
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count);
    }

    /** Insertion sort by bound: bucket lists are short, and it keeps equal bounds in input order. */
    private static void sortByBound(double[] bounds, double[] counts, int n) {
        for (int i = 1; i < n; i++) {
            double b = bounds[i];
            double c = counts[i];
            int j = i - 1;
            while (j >= 0 && bounds[j] > b) {
                bounds[j + 1] = bounds[j];
                counts[j + 1] = counts[j];
                j--;
            }
            bounds[j + 1] = b;
            counts[j + 1] = c;
        }
    }
}

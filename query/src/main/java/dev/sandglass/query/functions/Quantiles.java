package dev.sandglass.query.functions;


/** Prometheus's quantile estimators: over plain values (quantile, quantile_over_time) and over classic buckets. */
public final class Quantiles {
    private Quantiles() {
    }

    /**
     * The q-quantile of {@code values[0, n)} with linear interpolation between the closest ranks
     * (Prometheus's quantile), NaNs ranking lowest as in Prometheus's ordering. Reorders the array
     * prefix: the two order statistics needed are found by selection, not a full sort, since this
     * runs once per window in quantile_over_time.
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
        int nans = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(values[i])) {
                values[i] = values[nans];
                values[nans++] = Double.NaN;
            }
        }
        double rank = q * (n - 1);
        int lower = (int) Math.max(0, Math.floor(rank));
        int upper = (int) Math.min(n - 1, lower + 1.0);
        double weight = rank - Math.floor(rank);
        double lo;
        double hi;
        if (lower < nans) {
            lo = Double.NaN;
            hi = upper < nans ? Double.NaN : minOf(values, nans, n);
        } else {
            select(values, nans, n - 1, lower);
            lo = values[lower];
            hi = upper == lower ? lo : minOf(values, lower + 1, n);
        }
        // Both terms always, as Prometheus computes them: Inf * 0 is NaN there too.
        return lo * (1 - weight) + hi * weight;
    }

    private static double minOf(double[] a, int from, int to) {
        double m = a[from];
        for (int i = from + 1; i < to; i++) {
            if (a[i] < m) {
                m = a[i];
            }
        }
        return m;
    }

    /** Moves the k-th smallest of {@code a[left..right]} (no NaNs) to index k, smaller ones before it, larger after. */
    static void select(double[] a, int left, int right, int k) {
        while (right > left) {
            if (right - left < 16) {
                for (int i = left + 1; i <= right; i++) {
                    double x = a[i];
                    int j = i - 1;
                    while (j >= left && a[j] > x) {
                        a[j + 1] = a[j];
                        j--;
                    }
                    a[j + 1] = x;
                }
                return;
            }
            int mid = (left + right) >>> 1;
            // Median of three as the pivot, so sorted or constant windows stay linear.
            if (a[mid] < a[left]) {
                swap(a, mid, left);
            }
            if (a[right] < a[left]) {
                swap(a, right, left);
            }
            if (a[right] < a[mid]) {
                swap(a, right, mid);
            }
            double pivot = a[mid];
            int i = left;
            int j = right;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(a, i, j);
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                right = j;
            } else if (k >= i) {
                left = i;
            } else {
                return;
            }
        }
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
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

package dev.sandglass.storage.api;

import java.util.Arrays;

/**
 * A growable run of samples of one series in time order: parallel {@code long[]} timestamps (unix
 * ms) and {@code double[]} values, never one object per sample. Readers may use the arrays directly
 * up to {@link #size()}.
 */
public final class Samples {
    private long[] timestamps;
    private double[] values;
    private int size;

    public Samples() {
        this(16);
    }

    public Samples(int capacity) {
        timestamps = new long[Math.max(capacity, 1)];
        values = new double[Math.max(capacity, 1)];
    }

    public Samples(long[] timestamps, double[] values, int size) {
        this.timestamps = timestamps;
        this.values = values;
        this.size = size;
    }

    public void add(long t, double v) {
        if (size == timestamps.length) {
            int cap = timestamps.length * 2;
            timestamps = Arrays.copyOf(timestamps, cap);
            values = Arrays.copyOf(values, cap);
        }
        timestamps[size] = t;
        values[size] = v;
        size++;
    }

    /** Appends {@code [from, to)} of the given arrays. */
    public void addAll(long[] t, double[] v, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return;
        }
        if (size + n > timestamps.length) {
            int cap = Math.max(size + n, timestamps.length * 2);
            timestamps = Arrays.copyOf(timestamps, cap);
            values = Arrays.copyOf(values, cap);
        }
        System.arraycopy(t, from, timestamps, size, n);
        System.arraycopy(v, from, values, size, n);
        size += n;
    }

    /**
     * Makes room for a column of {@code n} values after the samples held: a decoder writes them to
     * {@code values()} from the returned position, then {@link #keepDecoded} keeps part of them.
     */
    public int reserve(int n) {
        if (size + n > timestamps.length) {
            int cap = Math.max(size + n, timestamps.length * 2);
            timestamps = Arrays.copyOf(timestamps, cap);
            values = Arrays.copyOf(values, cap);
        }
        return size;
    }

    /**
     * Appends samples {@code [from, to)} of a column decoded after {@link #reserve}: timestamps
     * from {@code t}, values those the decoder wrote (the column whole: a column decodes whole),
     * of which {@code [from, to)} are kept. No intermediate array.
     */
    public void keepDecoded(long[] t, int from, int to) {
        if (to <= from) {
            return;
        }
        if (from > 0) {
            System.arraycopy(values, size + from, values, size, to - from);
        }
        System.arraycopy(t, from, timestamps, size, to - from);
        size += to - from;
    }

    public int size() {
        return size;
    }

    public long timestamp(int i) {
        return timestamps[i];
    }

    public double value(int i) {
        return values[i];
    }

    public long[] timestamps() {
        return timestamps;
    }

    public double[] values() {
        return values;
    }

    public void clear() {
        size = 0;
    }

    /** Empties this and makes room for {@code capacity} samples without growing; returns this. */
    public Samples reset(int capacity) {
        size = 0;
        if (timestamps.length < capacity) {
            timestamps = new long[capacity];
            values = new double[capacity];
        }
        return this;
    }

    /** Index of the first sample with timestamp >= t, or size() when none. */
    public int lowerBound(long t) {
        return lowerBound(timestamps, size, t);
    }

    /**
     * Index of the first of {@code a[from..n)} (ascending) that is {@code > t} ({@code strict}) or
     * {@code >= t}, or n when none. Gallops from {@code from}: a cursor that moves forward by d
     * costs about 2·log2(d) comparisons, not d, which is how windows and steps move over samples.
     */
    public static int seek(long[] a, int n, int from, long t, boolean strict) {
        int lo = from;
        int step = 1;
        int hi = from;
        // Find an upper bound: a[hi] past t (or the end), doubling the stride.
        while (hi < n && (strict ? a[hi] <= t : a[hi] < t)) {
            lo = hi + 1;
            hi += step;
            step <<= 1;
        }
        if (hi > n) {
            hi = n;
        }
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (strict ? a[mid] <= t : a[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Index of the first of {@code a[0..n)} (ascending) that is >= t, or n when none. */
    public static int lowerBound(long[] a, int n, long t) {
        return seek(a, n, 0, t, false);
    }
}

package dev.sandglass.storage.head;

import dev.sandglass.storage.api.Samples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Unsealed samples per series, in primitive arrays, in time order with each timestamp once:
 * a sample for a timestamp already present replaces it (last write wins, as a retried
 * collection or a re-import means a correction). Not thread-safe: the Db guards it.
 */
public final class Head {
    private long[][] ts = new long[64][];
    private double[][] vs = new double[64][];
    private int[] n = new int[64];
    private long samples;
    private final int capacityHint;
    /** Queriers holding this head: it may be cleared for reuse only when none does. */
    private final AtomicInteger readers = new AtomicInteger();

    public Head() {
        this(16);
    }

    /**
     * {@code capacityHint}: samples per series to expect before the next seal (the previous head's
     * longest run), so arrays are allocated once instead of doubling through the interval.
     */
    public Head(int capacityHint) {
        this.capacityHint = Math.max(16, capacityHint);
    }
    private long minT = Long.MAX_VALUE;
    private long maxT = Long.MIN_VALUE;

    public void add(int ref, long t, double v) {
        if (ref >= n.length) {
            int cap = Math.max(ref + 1, n.length * 2);
            ts = Arrays.copyOf(ts, cap);
            vs = Arrays.copyOf(vs, cap);
            n = Arrays.copyOf(n, cap);
        }
        long[] t0 = ts[ref];
        if (t0 == null) {
            // Series collected together grow together: staggered first capacities spread the
            // doubling copies over many commits instead of all series copying in one.
            int cap = capacityHint + (int) ((ref * 0x9E3779B9L >>> 16) % 112);
            ts[ref] = t0 = new long[cap];
            vs[ref] = new double[cap];
        }
        int size = n[ref];
        if (size > 0 && t0[size - 1] >= t) {
            int i = Arrays.binarySearch(t0, 0, size, t);
            if (i >= 0) {
                vs[ref][i] = v;
                return;
            }
            insert(ref, -i - 1, t, v);
        } else {
            if (size == t0.length) {
                ts[ref] = t0 = Arrays.copyOf(t0, size * 2);
                vs[ref] = Arrays.copyOf(vs[ref], size * 2);
            }
            t0[size] = t;
            vs[ref][size] = v;
            n[ref] = size + 1;
        }
        samples++;
        minT = Math.min(minT, t);
        maxT = Math.max(maxT, t);
    }

    private void insert(int ref, int at, long t, double v) {
        int size = n[ref];
        long[] t0 = ts[ref];
        double[] v0 = vs[ref];
        if (size == t0.length) {
            t0 = Arrays.copyOf(t0, size * 2);
            v0 = Arrays.copyOf(v0, size * 2);
        }
        System.arraycopy(t0, at, t0, at + 1, size - at);
        System.arraycopy(v0, at, v0, at + 1, size - at);
        t0[at] = t;
        v0[at] = v;
        ts[ref] = t0;
        vs[ref] = v0;
        n[ref] = size + 1;
    }

    /**
     * Empties the head for reuse and keeps every series' arrays, so a recycled head fills without
     * allocating. Only for a head no querier holds ({@link #readers()} is 0).
     */
    public void clear() {
        if (readers.get() != 0) {
            throw new IllegalStateException("BUG: clearing a head " + readers.get() + " queriers still read");
        }
        Arrays.fill(n, 0);
        samples = 0;
        minT = Long.MAX_VALUE;
        maxT = Long.MIN_VALUE;
    }

    /** A querier starts reading this head; it calls {@link #release()} when closed. */
    public void acquire() {
        readers.incrementAndGet();
    }

    public void release() {
        readers.decrementAndGet();
    }

    public int readers() {
        return readers.get();
    }

    /** The most samples any one series holds. */
    public int longestRun() {
        int max = 0;
        for (int size : n) {
            max = Math.max(max, size);
        }
        return max;
    }

    public long samples() {
        return samples;
    }

    public long minT() {
        return minT;
    }

    public long maxT() {
        return maxT;
    }

    public boolean isEmpty() {
        return samples == 0;
    }

    /** Copies the samples of {@code ref} within [minT, maxT] into {@code out}. */
    public void copy(int ref, long from, long to, Samples out) {
        if (ref >= n.length || n[ref] == 0) {
            return;
        }
        long[] t0 = ts[ref];
        int size = n[ref];
        int i = Samples.lowerBound(t0, size, from);
        for (; i < size && t0[i] <= to; i++) {
            out.add(t0[i], vs[ref][i]);
        }
    }


    /** One series as held: ref, timestamps and values (arrays may be longer than size). */
    public record Run(int ref, long[] timestamps, double[] values, int size) {
    }

    /** Every non-empty series, ascending by ref. */
    public List<Run> runs() {
        List<Run> out = new ArrayList<>();
        for (int r = 0; r < n.length; r++) {
            if (n[r] > 0) {
                out.add(new Run(r, ts[r], vs[r], n[r]));
            }
        }
        return out;
    }
}

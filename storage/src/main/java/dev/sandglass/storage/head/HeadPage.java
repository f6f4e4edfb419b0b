package dev.sandglass.storage.head;

import static dev.sandglass.storage.head.Head.PAGE;

import dev.sandglass.storage.api.Samples;

/**
 * The per-series slots of {@link Head#PAGE} consecutive refs, and the reads of one series in
 * them. Pages exist only for refs the head holds: with dense arrays over every ref up to the
 * highest (28 bytes a ref), a store of a million imported series spent 28 MB of heap on an empty
 * head the moment serve's own series (the newest refs) got a sample. A series' array holds time
 * and raw value bits interleaved ({@code t0 v0 t1 v1 ...}); {@link Head} writes them.
 */
final class HeadPage {
    final long[][] data = new long[PAGE][];
    final int[] n = new int[PAGE];
    /**
     * Each series' newest sample again, in two dense arrays by ref: the sandbox views read the
     * newest sample of thousands of series every second, and these touch a few cache lines where
     * each series' own array costs a miss or two.
     */
    final long[] lastT = new long[PAGE];
    final long[] lastBits = new long[PAGE];

    /** Copies the samples of the series in {@code slot} within [from, to] into {@code out}. */
    void copy(int slot, long from, long to, Samples out) {
        if (n[slot] == 0) {
            return;
        }
        long[] d = data[slot];
        int size = n[slot];
        for (int i = lowerBound(d, size, from); i < size && d[2 * i] <= to; i++) {
            out.add(d[2 * i], Double.longBitsToDouble(d[2 * i + 1]));
        }
    }

    /** Adds the last sample of the series in {@code slot} within [from, to] to {@code out}; false when none. */
    boolean copyLast(int slot, long from, long to, Samples out) {
        if (n[slot] == 0) {
            return false;
        }
        long newest = lastT[slot];
        if (newest <= to) {
            // Usually the newest sample is in range: read from the dense arrays alone.
            if (newest < from) {
                return false;
            }
            out.add(newest, Double.longBitsToDouble(lastBits[slot]));
            return true;
        }
        long[] d = data[slot];
        // Walk back from the end a few steps before searching.
        int i = n[slot] - 1;
        for (int k = 0; k < 4 && i >= 0 && d[2 * i] > to; k++) {
            i--;
        }
        if (i >= 0 && d[2 * i] > to) {
            i = lowerBound(d, i, to + 1) - 1;
        }
        if (i < 0 || d[2 * i] < from) {
            return false;
        }
        out.add(d[2 * i], Double.longBitsToDouble(d[2 * i + 1]));
        return true;
    }

    /** First sample index in {@code d} (interleaved, {@code size} samples) with time >= t. */
    static int lowerBound(long[] d, int size, long t) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (d[2 * mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}

package dev.sandglass.storage.segment;

import java.util.Arrays;

/**
 * A block's series refs, in block order, and their lookup by ref: a binary search, or one walk
 * forward for many refs at once ({@link #indexesOf}). Blocks written in ref order are searched as
 * they are; others get an order by ref, made on first use. Safe for concurrent readers.
 */
final class BlockRefs {
    private final int[] refs;
    /** Positions of the series by ascending ref; null while not needed, and when the refs are in order. */
    private int[] byRef;
    private boolean byRefReady;

    BlockRefs(int[] refs) {
        this.refs = refs;
    }

    /** Index of a series ref in the block, or -1. */
    int indexOf(int ref) {
        int[] order = byRef();
        int lo = 0;
        int hi = refs.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int at = order == null ? mid : order[mid];
            int r = refs[at];
            if (r < ref) {
                lo = mid + 1;
            } else if (r > ref) {
                hi = mid - 1;
            } else {
                return at;
            }
        }
        return -1;
    }

    /**
     * The index of each of {@code refs} (ascending) in the block, -1 where it has none: one walk
     * forward in ref order, galloping from the last one found, where a binary search per ref
     * jumps across the whole block (a 14,286-series selection over blocks of 100,000 series paid
     * some 17 cache misses a ref, a block). Refs not ascending are looked up one by one.
     */
    int[] indexesOf(int[] refs) {
        int[] out = new int[refs.length];
        int[] order = byRef();
        int n = this.refs.length;
        int k = 0; // every position below k (in ref order) holds a smaller ref than the next one asked
        for (int i = 0; i < refs.length; i++) {
            int ref = refs[i];
            if (i > 0 && ref <= refs[i - 1]) {
                out[i] = indexOf(ref);
                continue;
            }
            int step = 1;
            while (k + step <= n && refAt(order, k + step - 1) < ref) {
                k += step;
                step <<= 1;
            }
            int lo = k;
            int hi = Math.min(n, k + step) - 1;
            out[i] = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int r = refAt(order, mid);
                if (r < ref) {
                    lo = mid + 1;
                } else if (r > ref) {
                    hi = mid - 1;
                } else {
                    out[i] = order == null ? mid : order[mid];
                    lo = mid + 1;
                    break;
                }
            }
            k = lo;
        }
        return out;
    }

    private int refAt(int[] order, int position) {
        return refs[order == null ? position : order[position]];
    }

    /** Positions of every series by ascending ref (null when the block's order is already that): a binary search instead of a scan per lookup. */
    private synchronized int[] byRef() {
        if (!byRefReady) {
            boolean sorted = true;
            for (int i = 1; i < refs.length && sorted; i++) {
                sorted = refs[i - 1] < refs[i];
            }
            if (!sorted) {
                long[] a = new long[refs.length];
                for (int i = 0; i < refs.length; i++) {
                    a[i] = ((long) refs[i] << 32) | i;
                }
                Arrays.sort(a);
                int[] order = new int[a.length];
                for (int i = 0; i < a.length; i++) {
                    order[i] = (int) a[i];
                }
                byRef = order;
            }
            byRefReady = true;
        }
        return byRef;
    }
}

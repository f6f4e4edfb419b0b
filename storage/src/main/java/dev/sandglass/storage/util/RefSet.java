package dev.sandglass.storage.util;

import java.util.Arrays;

/**
 * A sorted set of series refs, held as runs of consecutive refs when they come in runs, else as
 * the sorted refs themselves. Every sealed block and every rollup excerpt names the series it
 * holds, and the store keeps those lists in memory for as long as it keeps the data: as plain
 * {@code int[]}s, 100,000 scraped series cost 400 KB of heap per block, a block or two every 10
 * minutes (57 MB a day), and a million imported series 4 MB per block. Refs are handed out in
 * order, so a seal's or an import's refs are mostly long runs: a few ints in all. {@link #rank}
 * gives a ref's position among the set, for the arrays kept in step with it. Immutable.
 */
public final class RefSet {
    private static final RefSet EMPTY = new RefSet(new int[0], null, 0);

    /** Runs: the first ref of each run; else every ref. */
    private final int[] starts;
    /** Runs only: refs before each run, and the size at the end (length starts.length + 1); null when every ref is held. */
    private final int[] before;
    private final int size;

    private RefSet(int[] starts, int[] before, int size) {
        this.starts = starts;
        this.before = before;
        this.size = size;
    }

    /** The set of {@code sorted} (ascending, no duplicates), which it does not keep. */
    public static RefSet ofSorted(int[] sorted) {
        int n = sorted.length;
        if (n == 0) {
            return EMPTY;
        }
        int runs = 1;
        for (int i = 1; i < n; i++) {
            if (sorted[i] <= sorted[i - 1]) {
                throw new IllegalArgumentException("refs not ascending at " + i + ": " + sorted[i - 1] + ", " + sorted[i]);
            }
            if (sorted[i] != sorted[i - 1] + 1) {
                runs++;
            }
        }
        if (2 * runs + 1 >= n) {
            return new RefSet(sorted.clone(), null, n);
        }
        int[] starts = new int[runs];
        int[] before = new int[runs + 1];
        int r = 0;
        starts[0] = sorted[0];
        for (int i = 1; i < n; i++) {
            if (sorted[i] != sorted[i - 1] + 1) {
                starts[++r] = sorted[i];
                before[r] = i;
            }
        }
        before[runs] = n;
        return new RefSet(starts, before, n);
    }

    public int size() {
        return size;
    }

    public boolean has(int ref) {
        return rank(ref) >= 0;
    }

    /** The position of {@code ref} among the set in ascending order, or -1 when it is not in it. */
    public int rank(int ref) {
        if (before == null) {
            int i = Arrays.binarySearch(starts, ref);
            return i >= 0 ? i : -1;
        }
        int i = Arrays.binarySearch(starts, ref);
        if (i >= 0) {
            return before[i];
        }
        int run = -i - 2; // the run starting before ref
        if (run < 0) {
            return -1;
        }
        int off = ref - starts[run];
        return off < before[run + 1] - before[run] ? before[run] + off : -1;
    }

    /** The ref at position {@code i} (0 <= i < size) in ascending order. */
    public int get(int i) {
        if (before == null) {
            return starts[i];
        }
        int run = Arrays.binarySearch(before, 0, starts.length, i);
        run = run >= 0 ? run : -run - 2;
        return starts[run] + (i - before[run]);
    }

    /** Every ref, ascending, in a new array. */
    public int[] toArray() {
        if (before == null) {
            return starts.clone();
        }
        int[] out = new int[size];
        for (int r = 0; r < starts.length; r++) {
            for (int i = before[r]; i < before[r + 1]; i++) {
                out[i] = starts[r] + (i - before[r]);
            }
        }
        return out;
    }

    /** Heap the set holds, about (for tests and the footprint figures). */
    public long bytes() {
        return 16 + 16L + 4L * starts.length + (before == null ? 0 : 16 + 4L * before.length);
    }
}

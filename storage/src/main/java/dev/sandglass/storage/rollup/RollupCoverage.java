package dev.sandglass.storage.rollup;

import java.util.List;

/** Which raw blocks have rollups: sorted [from, to] ranges of raw block indexes. */
public final class RollupCoverage {
    private final long[] from;
    private final long[] reach;

    RollupCoverage(List<long[]> sorted) {
        from = new long[sorted.size()];
        reach = new long[sorted.size()];
        long max = Long.MIN_VALUE;
        for (int i = 0; i < from.length; i++) {
            from[i] = sorted.get(i)[0];
            max = Math.max(max, sorted.get(i)[1]);
            reach[i] = max; // the furthest any range starting at or before from[i] reaches
        }
    }

    public boolean covers(long rawIndex) {
        int lo = 0;
        int hi = from.length - 1;
        int at = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (from[mid] <= rawIndex) {
                at = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return at >= 0 && reach[at] >= rawIndex;
    }
}

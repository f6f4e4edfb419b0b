package dev.sandglass.storage.rollup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Puts the rollup windows of one series from several parts (rollup excerpts, raw data not
 * rolled up yet) in window order, merging the entries of a window with {@link Windows#mergeInto}.
 */
final class WindowsMerge {
    private WindowsMerge() {
    }

    /**
     * The parts in one series' window order: sorted by window, then by first sample, with the
     * parts of one window merged. Parts come from separate rollup excerpts and from raw data not
     * rolled up yet; each is in time order by itself.
     */
    static Windows merge(long resolutionMs, List<Windows> parts) {
        if (parts.size() == 1) {
            return parts.get(0).inWindowOrder();
        }
        Windows chained = chained(resolutionMs, parts);
        if (chained != null) {
            return chained;
        }
        int total = 0;
        for (Windows p : parts) {
            total += p.size;
        }
        long[] keyW = new long[total];
        long[] keyT = new long[total];
        int[] part = new int[total];
        int[] idx = new int[total];
        int k = 0;
        for (int p = 0; p < parts.size(); p++) {
            Windows w = parts.get(p);
            for (int j = 0; j < w.size; j++) {
                keyW[k] = w.start[j];
                keyT[k] = w.firstT[j];
                part[k] = p;
                idx[k] = j;
                k++;
            }
        }
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> keyW[a] != keyW[b] ? Long.compare(keyW[a], keyW[b]) : Long.compare(keyT[a], keyT[b]));
        Windows out = new Windows(resolutionMs, total);
        for (int o : order) {
            Windows src = parts.get(part[o]);
            int j = idx[o];
            if (out.size > 0 && out.start[out.size - 1] == src.start[j]) {
                out.mergeInto(out.size - 1, src, j);
            } else {
                out.append(src, j);
            }
        }
        return out;
    }

    /**
     * The usual case of {@link #merge} without sorting every window: each part in window order
     * with one entry per window, and the parts, taken by their first window, following one another
     * (at most sharing a window at the seam, the later part's samples after the earlier's). Then
     * the sorted order is the parts' concatenation. Null when the parts are not so.
     */
    private static Windows chained(long resolutionMs, List<Windows> parts) {
        List<Windows> order = new ArrayList<>(parts.size());
        int total = 0;
        for (Windows p : parts) {
            if (p.size == 0) {
                continue;
            }
            for (int i = 1; i < p.size; i++) {
                if (p.start[i] <= p.start[i - 1]) {
                    return null;
                }
            }
            order.add(p);
            total += p.size;
        }
        if (order.isEmpty()) {
            return null;
        }
        order.sort((a, b) -> a.start[0] != b.start[0] ? Long.compare(a.start[0], b.start[0]) : Long.compare(a.firstT[0], b.firstT[0]));
        for (int p = 1; p < order.size(); p++) {
            Windows a = order.get(p - 1);
            Windows b = order.get(p);
            long aw = a.start[a.size - 1];
            if (b.start[0] < aw || (b.start[0] == aw && b.firstT[0] <= a.firstT[a.size - 1])) {
                return null;
            }
        }
        Windows out = new Windows(resolutionMs, total);
        for (Windows src : order) {
            for (int j = 0; j < src.size; j++) {
                if (out.size > 0 && out.start[out.size - 1] == src.start[j]) {
                    out.mergeInto(out.size - 1, src, j);
                } else {
                    out.append(src, j);
                }
            }
        }
        return out;
    }
}

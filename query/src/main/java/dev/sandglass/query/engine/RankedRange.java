package dev.sandglass.query.engine;

import dev.sandglass.query.functions.RangeFunctions;
import dev.sandglass.query.functions.Window;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.util.Parallel;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A range function under topk or bottomk (say {@code topk(10, avg_over_time(x[5m]))}): only the
 * values that can make a group's k need to be exact. Every window first gets the function's
 * cheap interval {@code [lo, hi]} ({@link RangeFunctions.Bounds}). For topk, a window whose
 * {@code hi} is below the k-th highest {@code lo} of its group at that step has k others
 * certainly above it, so it cannot rank: it gets {@code hi} instead of its exact value, which
 * still ranks below those k. The rest are computed exactly. Which of several values tied at the
 * cut-off Prometheus keeps depends on its heap's shape, and so on the order of every member,
 * pruned ones included ({@link HeapRanking}): where a group's exact values tie across the cut at
 * a step, the pruned windows of that group and step are computed exactly too, so the set kept
 * is what it would be with every value exact. Range results are sorted by labels afterwards;
 * instant queries, whose order also depends on the heap, are not pruned at all (see Calls).
 * bottomk is the mirror image.
 */
final class RankedRange {
    private RankedRange() {
    }

    /** One series' windows: sample bounds, step, and the function's interval. */
    private record Windows(int[] from, int[] to, int[] step, double[] lo, double[] hi) {
        int size() {
            return step.length;
        }
    }

    static StepSeries[] slide(Evaluator ev, RangeFunctions.Def def, RangeVector rv, Ranking ranking, int args) {
        int count = rv.size();
        // Each pass reads a series into the thread's buffer; the second only the series that
        // still have a window to compute exactly (with topk(10, ...) a small share of them).
        Labels[] labels = new Labels[count];
        Windows[] windows = new Windows[count];
        Parallel.forEach(count, () -> Calls.newWindow(rv, args), (w, i) -> {
            ev.ctx.checkDeadline("expression evaluation");
            RawSeries rs = rv.series(i, w.buffer);
            labels[i] = Calls.outputLabels(def, rs);
            int n = Calls.windows(ev, rv, rs, w);
            Windows ws = new Windows(Arrays.copyOf(w.batchFrom, n), Arrays.copyOf(w.batchTo, n),
                    Arrays.copyOf(w.batchStep, n), new double[n], new double[n]);
            def.bounds().apply(rs.values(), ws.from, ws.to, n, ws.lo, ws.hi, w);
            windows[i] = ws;
        });
        int[] group = new int[count];
        int groups = groups(ranking, labels, group);
        boolean[][] exact = mustBeExact(ev, ranking, group, groups, windows);
        StepSeries[] results = new StepSeries[count];
        compute(ev, def, rv, ranking, args, windows, labels, exact, null, results);
        boolean[][] ties = tiesAtTheCut(ev, ranking, group, groups, windows, exact, results);
        if (ties != null) {
            compute(ev, def, rv, ranking, args, windows, labels, ties, results, results);
        }
        return results;
    }

    /**
     * Sets each series' windows: exactly where {@code exact} says so, else to the bound. With
     * {@code previous}, only the windows marked are computed, into the series already there.
     */
    private static void compute(Evaluator ev, RangeFunctions.Def def, RangeVector rv, Ranking ranking, int args, Windows[] windows,
            Labels[] labels, boolean[][] exact, StepSeries[] previous, StepSeries[] results) {
        Parallel.forEach(windows.length, () -> Calls.newWindow(rv, args), (w, i) -> {
            ev.ctx.checkDeadline("expression evaluation");
            Windows ws = windows[i];
            if (previous != null && exact[i] == null) {
                return;
            }
            StepSeries ss = previous != null ? previous[i] : new StepSeries(labels[i], ev.steps);
            w.batch(ws.size());
            int m = 0;
            for (int k = 0; k < ws.size(); k++) {
                if (exact[i][k]) {
                    w.batchFrom[m] = ws.from[k];
                    w.batchTo[m] = ws.to[k];
                    w.batchStep[m] = ws.step[k];
                    m++;
                } else if (previous == null) {
                    ss.set(ws.step[k], ranking.top() ? ws.hi[k] : ws.lo[k]);
                }
            }
            if (m > 0) {
                def.batch().apply(rv.series(i, w.buffer).values(), w.batchFrom, w.batchTo, m, w.batchOut);
            }
            for (int j = 0; j < m; j++) {
                ss.set(w.batchStep[j], w.batchOut[j]);
            }
            results[i] = ss;
        });
    }

    private static int groups(Ranking ranking, Labels[] labels, int[] group) {
        Map<Labels, Integer> groupIds = new HashMap<>();
        for (int i = 0; i < labels.length; i++) {
            Labels g = Aggregations.groupLabels(labels[i], ranking.grouping(), ranking.without());
            group[i] = groupIds.computeIfAbsent(g, x -> groupIds.size());
        }
        return groupIds.size();
    }

    /**
     * Per series, the pruned windows to compute after all, or null for none: those of every
     * group and step where the exact values tie across the cut (the k-th best equals the
     * k+1-th), or where one is NaN (NaN compares as worse than everything, itself included).
     */
    private static boolean[][] tiesAtTheCut(Evaluator ev, Ranking ranking, int[] group, int groups, Windows[] windows,
            boolean[][] exact, StepSeries[] results) {
        int count = windows.length;
        double[][] vals = new double[groups][];
        int[] capacity = new int[groups];
        for (int g : group) {
            capacity[g]++;
        }
        for (int g = 0; g < groups; g++) {
            vals[g] = new double[capacity[g]];
        }
        int[] members = new int[groups];
        boolean[] pruned = new boolean[groups];
        boolean[] redo = new boolean[groups];
        int[] cursor = new int[count];
        boolean[][] more = null;
        for (int step = 0; step < ev.steps; step++) {
            Arrays.fill(members, 0);
            Arrays.fill(pruned, false);
            for (int i = 0; i < count; i++) {
                Windows ws = windows[i];
                int c = cursor[i];
                if (c < ws.size() && ws.step[c] == step) {
                    if (exact[i][c]) {
                        double v = results[i].value(step);
                        vals[group[i]][members[group[i]]++] = ranking.top() ? v : -v;
                    } else {
                        pruned[group[i]] = true;
                    }
                }
            }
            long k = ranking.k(step);
            boolean any = false;
            for (int g = 0; g < groups; g++) {
                redo[g] = false;
                if (pruned[g] && k > 0 && members[g] > k) {
                    double[] v = vals[g];
                    Arrays.sort(v, 0, members[g]); // NaN sorts last in Java
                    int n = members[g];
                    redo[g] = Double.isNaN(v[n - 1]) || v[n - (int) k] == v[n - (int) k - 1];
                    any |= redo[g];
                }
            }
            for (int i = 0; i < count; i++) {
                Windows ws = windows[i];
                int c = cursor[i];
                if (c < ws.size() && ws.step[c] == step) {
                    if (any && redo[group[i]] && !exact[i][c]) {
                        if (more == null) {
                            more = new boolean[count][];
                        }
                        if (more[i] == null) {
                            more[i] = new boolean[ws.size()];
                        }
                        more[i][c] = true;
                    }
                    cursor[i]++;
                }
            }
        }
        return more;
    }

    /**
     * Per series and window, whether its value can rank. Bottomk is handled as topk of the
     * negated intervals: {@code lo} becomes {@code -hi} and {@code hi} becomes {@code -lo}.
     */
    private static boolean[][] mustBeExact(Evaluator ev, Ranking ranking, int[] group, int groups, Windows[] windows) {
        int count = windows.length;
        int[] capacity = new int[groups];
        for (int g : group) {
            capacity[g]++;
        }
        double[][] lows = new double[groups][];
        for (int g = 0; g < groups; g++) {
            lows[g] = new double[capacity[g]];
        }
        int[] members = new int[groups];
        double[] threshold = new double[groups];
        boolean[][] exact = new boolean[count][];
        for (int i = 0; i < count; i++) {
            exact[i] = new boolean[windows[i].size()];
        }
        int[] cursor = new int[count];
        boolean top = ranking.top();
        for (int step = 0; step < ev.steps; step++) {
            if ((step & 1023) == 1023) {
                ev.ctx.checkDeadline("expression evaluation");
            }
            Arrays.fill(members, 0);
            for (int i = 0; i < count; i++) {
                Windows ws = windows[i];
                int c = cursor[i];
                if (c < ws.size() && ws.step[c] == step) {
                    lows[group[i]][members[group[i]]++] = top ? ws.lo[c] : -ws.hi[c];
                }
            }
            long k = ranking.k(step);
            for (int g = 0; g < groups; g++) {
                threshold[g] = Double.NEGATIVE_INFINITY;
                if (k > 0 && members[g] > k) {
                    Arrays.sort(lows[g], 0, members[g]);
                    threshold[g] = lows[g][members[g] - (int) k];
                }
            }
            for (int i = 0; i < count; i++) {
                Windows ws = windows[i];
                int c = cursor[i];
                if (c < ws.size() && ws.step[c] == step) {
                    double high = top ? ws.hi[c] : -ws.lo[c];
                    // Pruned only when the k-th best lower bound is strictly above this upper bound.
                    exact[i][c] = !(threshold[group[i]] > high);
                    cursor[i]++;
                }
            }
        }
        return exact;
    }
}

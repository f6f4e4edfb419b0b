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
 * still ranks below those k. The rest are computed exactly, so topk's output (values, ties and
 * order) is what it would be with every value exact. bottomk is the mirror image.
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
        boolean[][] exact = mustBeExact(ev, ranking, labels, windows);
        StepSeries[] results = new StepSeries[count];
        Parallel.forEach(count, () -> Calls.newWindow(rv, args), (w, i) -> {
            ev.ctx.checkDeadline("expression evaluation");
            Windows ws = windows[i];
            StepSeries ss = new StepSeries(labels[i], ev.steps);
            w.batch(ws.size());
            int m = 0;
            for (int k = 0; k < ws.size(); k++) {
                if (exact[i][k]) {
                    w.batchFrom[m] = ws.from[k];
                    w.batchTo[m] = ws.to[k];
                    w.batchStep[m] = ws.step[k];
                    m++;
                } else {
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
        return results;
    }

    /**
     * Per series and window, whether its value can rank. Bottomk is handled as topk of the
     * negated intervals: {@code lo} becomes {@code -hi} and {@code hi} becomes {@code -lo}.
     */
    private static boolean[][] mustBeExact(Evaluator ev, Ranking ranking, Labels[] labels, Windows[] windows) {
        int count = windows.length;
        Map<Labels, Integer> groupIds = new HashMap<>();
        int[] group = new int[count];
        for (int i = 0; i < count; i++) {
            Labels g = Aggregations.groupLabels(labels[i], ranking.grouping(), ranking.without());
            group[i] = groupIds.computeIfAbsent(g, x -> groupIds.size());
        }
        int groups = groupIds.size();
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

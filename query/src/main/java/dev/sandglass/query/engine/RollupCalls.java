package dev.sandglass.query.engine;

import dev.sandglass.query.ast.Call;
import dev.sandglass.query.ast.MatrixSelector;
import dev.sandglass.query.functions.RangeFunctions;
import dev.sandglass.storage.api.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Range functions over a matrix selector when the query reaches past raw retention: each reads
 * the rollup figure that answers it (Thanos's mapping): max_over_time the max, min_over_time the
 * min, sum_over_time the sum, count_over_time the sum of counts, avg_over_time sum over count,
 * rate/increase/irate the counter rebuilt from first, last and resets, changes/resets the windows'
 * counts of them (RollupCounts); every other function reads window means. Raw samples after the
 * split are read as they are.
 */
final class RollupCalls {
    private RollupCalls() {
    }

    static StepMatrix eval(Evaluator ev, Call c, RangeFunctions.Def def, MatrixSelector ms, StepMatrix[] scalars, int matrixArg) {
        String f = c.function();
        RangeFunctions.Def sum = RangeFunctions.get("sum_over_time");
        return switch (f) {
            case "max_over_time" -> over(ev, c, def, ms, RollupView.Aggregate.MAX, scalars, matrixArg);
            case "min_over_time" -> over(ev, c, def, ms, RollupView.Aggregate.MIN, scalars, matrixArg);
            case "sum_over_time" -> over(ev, c, def, ms, RollupView.Aggregate.SUM, scalars, matrixArg);
            case "count_over_time" -> over(ev, c, sum, ms, RollupView.Aggregate.COUNT, scalars, matrixArg);
            case "avg_over_time" -> divide(ev, over(ev, c, sum, ms, RollupView.Aggregate.SUM, scalars, matrixArg),
                    over(ev, c, sum, ms, RollupView.Aggregate.COUNT, scalars, matrixArg));
            case "rate", "increase", "irate" -> over(ev, c, def, ms, RollupView.Aggregate.COUNTER, scalars, matrixArg);
            case "changes" -> over(ev, c, RollupCounts.DEF, ms, RollupView.Aggregate.CHANGES, scalars, matrixArg);
            case "resets" -> over(ev, c, RollupCounts.DEF, ms, RollupView.Aggregate.RESETS, scalars, matrixArg);
            default -> over(ev, c, def, ms, RollupView.Aggregate.MEAN, scalars, matrixArg);
        };
    }

    private static StepMatrix over(Evaluator ev, Call c, RangeFunctions.Def def, MatrixSelector ms, RollupView.Aggregate agg,
            StepMatrix[] scalars, int matrixArg) {
        RangeVector rv = Selectors.rollupRangeVector(ev, ms, agg, c.function());
        return Calls.over(ev, c, def, rv, scalars, null, matrixArg);
    }

    /** Step by step, series by series (same labels): sums / counts. */
    private static StepMatrix divide(Evaluator ev, StepMatrix sums, StepMatrix counts) {
        Map<Labels, StepSeries> byLabels = new HashMap<>();
        for (StepSeries s : counts.series) {
            byLabels.put(s.labels(), s);
        }
        List<StepSeries> out = new ArrayList<>();
        for (StepSeries s : sums.series) {
            StepSeries n = byLabels.get(s.labels());
            if (n == null) {
                continue;
            }
            StepSeries q = new StepSeries(s.labels(), ev.steps);
            for (int step = 0; step < ev.steps; step++) {
                if (s.has(step) && n.has(step) && n.value(step) > 0) {
                    q.set(step, s.value(step) / n.value(step));
                }
            }
            if (q.count() > 0) {
                out.add(q);
            }
        }
        return new StepMatrix(out, ev.steps);
    }
}

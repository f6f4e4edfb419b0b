package dev.sandglass.query.conformance;

import dev.sandglass.query.ast.Expr;
import dev.sandglass.query.engine.Engine;
import dev.sandglass.query.engine.PromQLException;
import dev.sandglass.query.engine.QueryResult;
import dev.sandglass.storage.api.Queryable;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one eval as Prometheus 2.42's harness does: the instant query; then (unless ordered) the
 * same query as a range query from t-1m to t+1m at step 1m, whose middle step must agree; then
 * the @-pinned pass at other evaluation times. An eval_fail passes when evaluation fails.
 */
final class EvalCheck {
    private EvalCheck() {
    }

    /** Null when the case passes; else what went wrong. */
    static String run(Engine engine, Queryable store, Expr expr, long t, boolean fail, boolean ordered,
            List<ResultCheck.Expected> expected) {
        String first = once(engine, store, expr, t, fail, ordered, expected);
        if (first != null || AtPinning.timeDependent(expr)) {
            return first;
        }
        Expr pinned = AtPinning.pin(expr, t);
        for (long other : AtPinning.otherTimes(t)) {
            String r = once(engine, store, pinned, other, fail, ordered, expected);
            if (r != null) {
                return "with @ " + t + " evaluated at " + other + ": " + r;
            }
        }
        return null;
    }

    private static String once(Engine engine, Queryable store, Expr expr, long t, boolean fail, boolean ordered,
            List<ResultCheck.Expected> expected) {
        QueryResult result;
        try {
            result = engine.instant(store, expr, t);
        } catch (PromQLException e) {
            return fail ? null : "evaluation failed: " + e.getMessage();
        }
        if (fail) {
            return "expected an error, got " + result;
        }
        String err = ResultCheck.compare(result, expected, ordered);
        if (err != null || ordered) {
            // Order is not defined for range queries, so the harness skips range mode for eval_ordered.
            return err;
        }
        QueryResult.MatrixResult range;
        try {
            range = (QueryResult.MatrixResult) engine.range(store, expr, t - 60_000, t + 60_000, 60_000);
        } catch (PromQLException e) {
            return "range mode failed: " + e.getMessage();
        }
        List<QueryResult.Sample> middle = new ArrayList<>();
        for (QueryResult.MatrixSeries s : range.series()) {
            for (int i = 0; i < s.size(); i++) {
                if (s.timestampsMs()[i] == t) {
                    middle.add(new QueryResult.Sample(s.labels(), t, s.values()[i]));
                }
            }
        }
        QueryResult asInstant = result instanceof QueryResult.ScalarResult
                ? new QueryResult.ScalarResult(t, middle.isEmpty() ? Double.NaN : middle.get(0).value())
                : new QueryResult.VectorResult(middle);
        String rangeErr = ResultCheck.compare(asInstant, expected, false);
        return rangeErr == null ? null : "range mode: " + rangeErr;
    }
}

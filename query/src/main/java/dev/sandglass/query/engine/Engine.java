package dev.sandglass.query.engine;

import dev.sandglass.query.ast.Expr;
import dev.sandglass.query.ast.ValueType;
import dev.sandglass.storage.api.Queryable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Parses and evaluates PromQL with Prometheus 2.42's semantics. Thread-safe: one engine serves
 * every query. Errors are {@link PromQLException} subtypes.
 */
public final class Engine {
    private final EngineOptions options;

    public Engine(EngineOptions options) {
        this.options = options;
    }

    public EngineOptions options() {
        return options;
    }

    private static final BooleanSupplier NEVER = () -> false;

    /** Evaluates {@code query} at {@code timeMs}. */
    public QueryResult instant(Queryable storage, String query, long timeMs) {
        return instant(storage, parse(query), timeMs, NEVER);
    }

    /** Evaluates {@code query} at every step from start to end (inclusive); returns a matrix. */
    public QueryResult range(Queryable storage, String query, long startMs, long endMs, long stepMs) {
        return range(storage, parse(query), startMs, endMs, stepMs, NEVER);
    }

    /**
     * As {@link #instant(Queryable, String, long)}, stopping with {@link PromQLException.CanceledException}
     * soon after {@code canceled} turns true (it is polled in evaluation loops; e.g. the client went away).
     */
    public QueryResult instant(Queryable storage, String query, long timeMs, BooleanSupplier canceled) {
        return instant(storage, parse(query), timeMs, canceled);
    }

    /** As {@link #range(Queryable, String, long, long, long)}, stopping when {@code canceled} turns true. */
    public QueryResult range(Queryable storage, String query, long startMs, long endMs, long stepMs, BooleanSupplier canceled) {
        return range(storage, parse(query), startMs, endMs, stepMs, canceled);
    }

    private static Expr parse(String query) {
        return dev.sandglass.query.parser.Parser.parse(query);
    }

    /** Evaluates a parsed expression at one instant (as a range evaluation of one step, like Prometheus). */
    public QueryResult instant(Queryable storage, Expr expr, long timeMs) {
        return instant(storage, expr, timeMs, NEVER);
    }

    public QueryResult instant(Queryable storage, Expr expr, long timeMs, BooleanSupplier canceled) {
        return instantEvaluation(storage, expr, timeMs, canceled).result();
    }

    /** As {@link #instant(Queryable, String, long, BooleanSupplier)}, with the answer's warnings. */
    public Evaluation instantEvaluation(Queryable storage, String query, long timeMs, BooleanSupplier canceled) {
        return instantEvaluation(storage, parse(query), timeMs, canceled);
    }

    public Evaluation instantEvaluation(Queryable storage, Expr expr, long timeMs, BooleanSupplier canceled) {
        try {
            return evalInstant(storage, expr, timeMs, canceled);
        } catch (StackOverflowError e) {
            throw tooDeep();
        }
    }

    /** Evaluates a parsed expression over a range; series come sorted by labels. */
    public QueryResult range(Queryable storage, Expr expr, long startMs, long endMs, long stepMs) {
        return range(storage, expr, startMs, endMs, stepMs, NEVER);
    }

    public QueryResult range(Queryable storage, Expr expr, long startMs, long endMs, long stepMs, BooleanSupplier canceled) {
        return rangeEvaluation(storage, expr, startMs, endMs, stepMs, canceled).result();
    }

    /** As {@link #range(Queryable, String, long, long, long, BooleanSupplier)}, with the answer's warnings. */
    public Evaluation rangeEvaluation(Queryable storage, String query, long startMs, long endMs, long stepMs, BooleanSupplier canceled) {
        return rangeEvaluation(storage, parse(query), startMs, endMs, stepMs, canceled);
    }

    public Evaluation rangeEvaluation(Queryable storage, Expr expr, long startMs, long endMs, long stepMs, BooleanSupplier canceled) {
        try {
            return evalRange(storage, expr, startMs, endMs, stepMs, canceled);
        } catch (StackOverflowError e) {
            throw tooDeep();
        }
    }

    /** Evaluation recurses over the tree; a pathological nesting fails the query, not the thread. */
    private static PromQLException tooDeep() {
        return new PromQLException.EvalException("query is nested too deeply to evaluate");
    }

    private Evaluation evalInstant(Queryable storage, Expr expr, long timeMs, BooleanSupplier canceled) {
        long[] range = SelectRange.of(expr, timeMs, timeMs, options.lookbackMs());
        try (QueryContext ctx = new QueryContext(storage, options, timeMs, timeMs, range[0], range[1], canceled)) {
            return withWarning(evalInstant(ctx, expr, timeMs), ctx);
        }
    }

    private static Evaluation withWarning(QueryResult r, QueryContext ctx) {
        String w = ctx.warning();
        return new Evaluation(r, w == null ? List.of() : List.of(w));
    }

    private QueryResult evalInstant(QueryContext ctx, Expr expr, long timeMs) {
        Evaluator ev = new Evaluator(ctx, timeMs, timeMs, 1);
        Object v = ev.eval(expr);
        if (v instanceof String s) {
            return new QueryResult.StringResult(timeMs, s);
        }
        if (v instanceof RangeVector rv) {
            return rangeVectorAt(ctx, rv, timeMs);
        }
        StepMatrix m = (StepMatrix) v;
        if (expr.type() == ValueType.SCALAR) {
            double value = m.series.isEmpty() ? Double.NaN : m.series.get(0).value(0);
            return new QueryResult.ScalarResult(timeMs, value);
        }
        List<QueryResult.Sample> samples = new ArrayList<>(m.series.size());
        for (StepSeries s : m.series) {
            if (s.has(0)) {
                samples.add(new QueryResult.Sample(s.labels(), timeMs, s.value(0)));
            }
        }
        return new QueryResult.VectorResult(samples);
    }

    private Evaluation evalRange(Queryable storage, Expr expr, long startMs, long endMs, long stepMs, BooleanSupplier canceled) {
        if (stepMs <= 0) {
            throw new PromQLException.EvalException("zero or negative query resolution step widths are not accepted, got " + stepMs + "ms");
        }
        if (endMs < startMs) {
            throw new PromQLException.EvalException("end timestamp must not be before start time");
        }
        ValueType type = expr.type();
        if (type != ValueType.SCALAR && type != ValueType.VECTOR) {
            throw new PromQLException.ParseException(1, 1, "invalid expression type \"" + type.documentedName()
                    + "\" for range query, must be Scalar or instant Vector");
        }
        long[] range = SelectRange.of(expr, startMs, endMs, options.lookbackMs());
        try (QueryContext ctx = new QueryContext(storage, options, startMs, endMs, range[0], range[1], canceled)) {
            Evaluator ev = new Evaluator(ctx, startMs, endMs, stepMs);
            StepMatrix m = ev.evalSteps(expr);
            List<QueryResult.MatrixSeries> out = new ArrayList<>(m.series.size());
            // A series with a value at every step (the usual case) keeps its values array, and all
            // such series share one array of the step times: no copy of either per series.
            long[] everyStep = null;
            for (StepSeries s : m.series) {
                if (s.count() == 0) {
                    continue;
                }
                double[] dense = s.denseValues();
                if (dense != null) {
                    if (everyStep == null) {
                        everyStep = new long[dense.length];
                        for (int i = 0; i < dense.length; i++) {
                            everyStep[i] = startMs + i * stepMs;
                        }
                    }
                    out.add(new QueryResult.MatrixSeries(s.labels(), everyStep, dense, dense.length));
                    continue;
                }
                RawSeries r = s.toRaw(startMs, stepMs);
                out.add(new QueryResult.MatrixSeries(r.labels(), r.timestamps(), r.values(), r.size()));
            }
            out.sort(Comparator.comparing(QueryResult.MatrixSeries::labels));
            return withWarning(new QueryResult.MatrixResult(out), ctx);
        }
    }

    /** A range vector at the top of an instant query: each series' samples in its window. */
    private static QueryResult rangeVectorAt(QueryContext ctx, RangeVector rv, long timeMs) {
        long end = rv.windowEnd(timeMs);
        long start = end - rv.rangeMs();
        List<QueryResult.MatrixSeries> out = new ArrayList<>();
        for (int i = 0; i < rv.size(); i++) {
            RawSeries s = rv.series(i, null);
            long[] ts = s.timestamps();
            int lo = 0;
            while (lo < s.size() && ts[lo] < start) {
                lo++;
            }
            int hi = lo;
            while (hi < s.size() && ts[hi] <= end) {
                hi++;
            }
            if (hi > lo) {
                ctx.addSamples(hi - lo);
                out.add(new QueryResult.MatrixSeries(s.labels(), java.util.Arrays.copyOfRange(ts, lo, hi),
                        java.util.Arrays.copyOfRange(s.values(), lo, hi), hi - lo));
            }
        }
        out.sort(Comparator.comparing(QueryResult.MatrixSeries::labels));
        return new QueryResult.MatrixResult(out);
    }
}

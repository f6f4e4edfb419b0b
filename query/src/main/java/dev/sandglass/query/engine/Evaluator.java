package dev.sandglass.query.engine;

import dev.sandglass.query.ast.AggregateExpr;
import dev.sandglass.query.ast.AtModifier;
import dev.sandglass.query.ast.BinaryExpr;
import dev.sandglass.query.ast.Call;
import dev.sandglass.query.ast.Expr;
import dev.sandglass.query.ast.MatrixSelector;
import dev.sandglass.query.ast.NumberLiteral;
import dev.sandglass.query.ast.ParenExpr;
import dev.sandglass.query.ast.StringLiteral;
import dev.sandglass.query.ast.SubqueryExpr;
import dev.sandglass.query.ast.UnaryExpr;
import dev.sandglass.query.ast.VectorSelector;
import dev.sandglass.storage.api.Labels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Evaluates an expression at every step {@code start + k*interval <= end}. The one place that
 * dispatches on node type; the work lives in {@link Selectors}, {@link Subqueries}, {@link Calls},
 * {@link Aggregations} and {@link BinaryOperators}. Values are a {@link StepMatrix} (instant vectors
 * and scalars), a {@link RangeVector} or a String.
 */
final class Evaluator {
    final QueryContext ctx;
    final long start;
    final long end;
    final long interval;
    final int steps;

    Evaluator(QueryContext ctx, long start, long end, long interval) {
        this.ctx = ctx;
        this.start = start;
        this.end = end;
        this.interval = interval;
        long n = end < start ? 0 : (end - start) / interval + 1;
        // Every series of this evaluator holds an array of all its steps; more steps than samples
        // may be held could never succeed and would only exhaust memory (e.g. x[100y:1s]).
        if (n > ctx.options.maxSamples()) {
            throw new PromQLException.TooManySamplesException(ctx.options.maxSamples());
        }
        this.steps = (int) n;
    }

    /** A new series over this evaluator's steps; its dense arrays are charged to the query's budget. */
    StepSeries newSeries(Labels labels) {
        ctx.allocateCells(steps);
        return new StepSeries(labels, steps);
    }

    long time(int step) {
        return start + step * interval;
    }

    Object eval(Expr e) {
        return eval(e, null);
    }

    /**
     * {@code ranking} is set when the value is only ranked by topk or bottomk: a range function
     * may then leave the values that cannot rank approximate ({@link RankedRange}).
     */
    Object eval(Expr e, Ranking ranking) {
        ctx.checkDeadline("expression evaluation");
        long held = ctx.currentSamples();
        Object v = dispatch(e, ranking);
        // What a finished node keeps in memory is its result; its inputs can go (as in Prometheus).
        // A range vector is not charged whole: like Prometheus, only the window a range function
        // is looking at counts (Calls), and a subquery's points were charged when evaluated.
        if (v instanceof StepMatrix m) {
            ctx.setSamples(held + m.totalPoints());
        }
        return v;
    }

    private Object dispatch(Expr e, Ranking ranking) {
        if (e instanceof NumberLiteral n) {
            return constant(n.value());
        } else if (e instanceof StringLiteral s) {
            return s.value();
        } else if (e instanceof ParenExpr p) {
            return eval(p.expr(), ranking);
        } else if (e instanceof UnaryExpr u) {
            return unary(u);
        } else if (e instanceof VectorSelector vs) {
            return Selectors.instantVector(this, vs, false);
        } else if (e instanceof MatrixSelector ms) {
            return Selectors.rangeVector(this, ms);
        } else if (e instanceof SubqueryExpr sq) {
            return Subqueries.eval(this, sq);
        } else if (e instanceof Call c) {
            return Calls.eval(this, c, ranking);
        } else if (e instanceof AggregateExpr a) {
            return Aggregations.eval(this, a);
        } else if (e instanceof BinaryExpr b) {
            return BinaryOperators.eval(this, b);
        }
        throw new PromQLException("BUG: unhandled expression node " + e.getClass().getSimpleName());
    }

    StepMatrix evalSteps(Expr e) {
        return evalSteps(e, null);
    }

    StepMatrix evalSteps(Expr e, Ranking ranking) {
        Object v = eval(e, ranking);
        if (v instanceof StepMatrix m) {
            return m;
        }
        throw new PromQLException("BUG: expected an instant vector or scalar, got " + v.getClass().getSimpleName());
    }

    /** A scalar: one series with empty labels and a value at every step. */
    StepMatrix constant(double v) {
        StepSeries s = newSeries(Labels.EMPTY);
        for (int i = 0; i < steps; i++) {
            s.set(i, v);
        }
        List<StepSeries> l = new ArrayList<>(1);
        l.add(s);
        return new StepMatrix(l, steps);
    }

    Long resolveAt(AtModifier at) {
        if (at == null) {
            return null;
        }
        return switch (at.kind()) {
            case START -> ctx.queryStartMs;
            case END -> ctx.queryEndMs;
            case TIMESTAMP -> at.timestampMs();
        };
    }

    private StepMatrix unary(UnaryExpr u) {
        StepMatrix m = evalSteps(u.expr());
        if (!u.negate()) {
            return m;
        }
        boolean scalar = u.expr().type() == dev.sandglass.query.ast.ValueType.SCALAR;
        List<StepSeries> out = new ArrayList<>(m.series.size());
        Set<Labels> seen = new HashSet<>();
        for (StepSeries s : m.series) {
            Labels l = scalar ? s.labels() : s.labels().withoutMetricName();
            if (!seen.add(l)) {
                throw duplicateLabelset();
            }
            StepSeries n = newSeries(l);
            for (int i = 0; i < steps; i++) {
                if (s.has(i)) {
                    n.set(i, -s.value(i));
                }
            }
            out.add(n);
        }
        return new StepMatrix(out, steps);
    }

    static PromQLException duplicateLabelset() {
        return new PromQLException.EvalException("vector cannot contain metrics with the same labelset");
    }

    /** Fills {@code v} with the elements of {@code m} present at {@code step}, remembering their series index. */
    static void fill(StepMatrix m, int step, StepVector v) {
        v.clear();
        List<StepSeries> ss = m.series;
        for (int i = 0, n = ss.size(); i < n; i++) {
            StepSeries s = ss.get(i);
            if (s.has(step)) {
                v.add(s.labels(), s.value(step), i);
            }
        }
    }

    /** One step's work of a node evaluated step by step (Prometheus's rangeEval). */
    interface StepBody {
        void apply(int step, long timeMs, StepVector[] in, StepVector out);
    }

    /**
     * Runs {@code body} at every step over the inputs (null entries stay null) and gathers its
     * output elements into series by label set, in order of first appearance, so an instant
     * query keeps the order the body produced. Two elements with one label set at one step fail.
     */
    StepMatrix stepwise(StepMatrix[] inputs, StepBody body) {
        StepVector[] in = new StepVector[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null) {
                in[i] = new StepVector();
            }
        }
        StepVector out = new StepVector();
        java.util.HashMap<Labels, StepSeries> byLabels = new java.util.HashMap<>();
        List<StepSeries> order = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            ctx.checkDeadline("expression evaluation");
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i] != null) {
                    fill(inputs[i], step, in[i]);
                }
            }
            out.clear();
            body.apply(step, time(step), in, out);
            for (int k = 0; k < out.size(); k++) {
                Labels l = out.labels(k);
                StepSeries s = byLabels.get(l);
                if (s == null) {
                    s = newSeries(l);
                    byLabels.put(l, s);
                    order.add(s);
                }
                if (!s.set(step, out.value(k))) {
                    throw duplicateLabelset();
                }
            }
            ctx.addSamples(out.size());
        }
        return new StepMatrix(order, steps);
    }
}

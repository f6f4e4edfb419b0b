package dev.sandglass.query.engine;

import dev.sandglass.query.ast.Call;
import dev.sandglass.query.ast.Expr;
import dev.sandglass.query.ast.MatrixSelector;
import dev.sandglass.query.ast.ParenExpr;
import dev.sandglass.query.ast.SubqueryExpr;
import dev.sandglass.query.ast.ValueType;
import dev.sandglass.query.ast.VectorSelector;
import dev.sandglass.query.functions.InstantCall;
import dev.sandglass.query.functions.InstantFunctions;
import dev.sandglass.query.functions.AbsentLabels;
import dev.sandglass.query.functions.RangeFunctions;
import dev.sandglass.query.functions.Window;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.util.Parallel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Function calls: looked up in the registries by name, then driven per series (range) or per step (instant). */
final class Calls {
    private Calls() {
    }

    static StepMatrix eval(Evaluator ev, Call c, Ranking ranking) {
        RangeFunctions.Def range = RangeFunctions.get(c.function());
        if (range != null) {
            return evalRange(ev, c, range, ranking);
        }
        InstantFunctions.Def instant = InstantFunctions.get(c.function());
        if (instant != null) {
            return evalInstant(ev, c, instant);
        }
        throw new PromQLException.EvalException("unknown function " + c.function());
    }

    static Expr unwrap(Expr e) {
        while (e instanceof ParenExpr p) {
            e = p.expr();
        }
        return e;
    }

    /**
     * Slides each series' window over the steps with two moving indexes (windows only move
     * forward, or stay put under {@code @}), so every sample is passed over a bounded number of
     * times and nothing is copied.
     */
    private static StepMatrix evalRange(Evaluator ev, Call c, RangeFunctions.Def def, Ranking ranking) {
        List<Expr> args = c.args();
        int matrixArg = -1;
        StepMatrix[] scalars = new StepMatrix[args.size()];
        for (int i = 0; i < args.size(); i++) {
            Expr a = unwrap(args.get(i));
            if (matrixArg < 0 && (a instanceof MatrixSelector || a instanceof SubqueryExpr)) {
                matrixArg = i;
            }
        }
        if (matrixArg < 0) {
            throw new PromQLException.EvalException("expected a range vector argument in call to " + c.function());
        }
        for (int i = 0; i < args.size(); i++) {
            if (i != matrixArg && args.get(i).type() != ValueType.STRING) {
                scalars[i] = ev.evalSteps(args.get(i));
            }
        }
        Expr matrix = unwrap(args.get(matrixArg));
        if (ev.ctx.rollups() != null && matrix instanceof MatrixSelector ms) {
            return RollupCalls.eval(ev, c, def, ms, scalars, matrixArg);
        }
        return over(ev, c, def, (RangeVector) ev.eval(matrix), scalars, ranking, matrixArg);
    }

    /** {@code def} over every series of {@code rv}; the rest of {@link #evalRange}. */
    static StepMatrix over(Evaluator ev, Call c, RangeFunctions.Def def, RangeVector rv, StepMatrix[] scalars, Ranking ranking,
            int matrixArg) {
        List<Expr> args = c.args();
        int count = rv.size();
        // Series are independent: each is evaluated on whichever core is free, into its own slot,
        // and gathered below in input order, so the output and its errors are as if done in turn.
        ev.ctx.allocateCells((long) count * ev.steps);
        StepSeries[] results;
        // Instant queries are not pruned: topk's output order there depends on every member's value.
        if (ranking != null && def.bounds() != null && ev.steps > 1) {
            results = RankedRange.slide(ev, def, rv, ranking, args.size());
        } else {
            // Each thread reads its series into its window's reused buffer and slides over it at once.
            results = new StepSeries[count];
            java.util.concurrent.atomic.AtomicLong built = new java.util.concurrent.atomic.AtomicLong();
            Parallel.forEach(count, () -> newWindow(rv, args.size()), (w, i) -> {
                StepSeries ss = slide(ev, def, rv, scalars, w, rv.series(i, w.buffer));
                if (ss != null && !def.reportsAbsence()) {
                    ev.ctx.countBuilt(built, ss.count());
                }
                results[i] = ss;
            });
        }
        List<StepSeries> out = new ArrayList<>();
        Set<Labels> seen = new HashSet<>();
        for (StepSeries ss : results) {
            if (ss != null && ss.count() > 0) {
                // absent_over_time folds everything into one series, so Prometheus skips this check for it.
                if (!seen.add(ss.labels()) && !def.reportsAbsence()) {
                    throw Evaluator.duplicateLabelset();
                }
                ev.ctx.addSamples(ss.count());
                out.add(ss);
            }
        }
        if (def.reportsAbsence()) {
            return absence(ev, out, args.get(matrixArg));
        }
        return new StepMatrix(out, ev.steps);
    }

    static Window newWindow(RangeVector rv, int args) {
        Window w = new Window();
        w.rangeMs = rv.rangeMs();
        w.scalarArgs = new double[args];
        return w;
    }

    /** One series' window slid over every step; runs concurrently with other series (reads shared inputs only). */
    private static StepSeries slide(Evaluator ev, RangeFunctions.Def def, RangeVector rv, StepMatrix[] scalars, Window w, RawSeries rs) {
        ev.ctx.checkDeadline("expression evaluation");
        if (rs.size() == 0) {
            return null;
        }
        StepSeries ss = new StepSeries(outputLabels(def, rs), ev.steps);
        w.newSeries(rs.timestamps(), rs.values(), rs.size());
        int windows = windows(ev, rv, rs, w);
        if (def.batch() != null) {
            def.batch().apply(rs.values(), w.batchFrom, w.batchTo, windows, w.batchOut);
            for (int k = 0; k < windows; k++) {
                ss.set(w.batchStep[k], w.batchOut[k]);
            }
            return ss;
        }
        for (int k = 0; k < windows; k++) {
            if ((k & 1023) == 1023) {
                ev.ctx.checkDeadline("expression evaluation");
            }
            int step = w.batchStep[k];
            long t = ev.time(step);
            w.from = w.batchFrom[k];
            w.to = w.batchTo[k];
            w.evalTimeMs = t;
            w.rangeEndMs = rv.windowEnd(t);
            w.rangeStartMs = w.rangeEndMs - rv.rangeMs();
            for (int j = 0; j < scalars.length; j++) {
                if (scalars[j] != null) {
                    w.scalarArgs[j] = scalars[j].series.get(0).value(step);
                }
            }
            if (def.fn().apply(w)) {
                ss.set(step, w.result);
            }
        }
        return ss;
    }

    static Labels outputLabels(RangeFunctions.Def def, RawSeries rs) {
        return def.keepsMetricName() ? rs.labels() : rs.labels().withoutMetricName();
    }

    /**
     * The non-empty windows {@code [end - range, end]} of every step, as sample index bounds into
     * {@code w.batchFrom/batchTo} with their step in {@code w.batchStep}; returns how many. Two
     * moving indexes that gallop forward: windows only move forward (or stay put under {@code @}).
     */
    static int windows(Evaluator ev, RangeVector rv, RawSeries rs, Window w) {
        long[] ts = rs.timestamps();
        int n = rs.size();
        w.batch(ev.steps);
        int windows = 0;
        int lo = 0;
        int hi = 0;
        for (int step = 0; step < ev.steps; step++) {
            if ((step & 1023) == 1023) {
                ev.ctx.checkDeadline("expression evaluation");
            }
            long end = rv.windowEnd(ev.time(step));
            long start = end - rv.rangeMs();
            hi = Samples.seek(ts, n, hi, end, true);
            lo = Samples.seek(ts, hi, lo, start, false);
            if (lo == hi) {
                continue;
            }
            ev.ctx.checkHeld(hi - lo);
            w.batchFrom[windows] = lo;
            w.batchTo[windows] = hi;
            w.batchStep[windows] = step;
            windows++;
        }
        return windows;
    }

    /** absent_over_time: 1 at the steps where no series had a sample in its window. */
    private static StepMatrix absence(Evaluator ev, List<StepSeries> present, Expr arg) {
        boolean[] covered = new boolean[ev.steps];
        int coveredCount = 0;
        for (StepSeries s : present) {
            for (int i = 0; i < ev.steps; i++) {
                if (s.has(i) && !covered[i]) {
                    covered[i] = true;
                    coveredCount++;
                }
            }
        }
        List<StepSeries> out = new ArrayList<>(1);
        if (coveredCount < ev.steps) {
            StepSeries s = ev.newSeries(AbsentLabels.of(unwrap(arg)));
            for (int i = 0; i < ev.steps; i++) {
                if (!covered[i]) {
                    s.set(i, 1);
                }
            }
            out.add(s);
        }
        return new StepMatrix(out, ev.steps);
    }

    private static StepMatrix evalInstant(Evaluator ev, Call c, InstantFunctions.Def def) {
        List<Expr> args = c.args();
        InstantCall call = new InstantCall(args, def.dropsMetricName());
        StepMatrix[] inputs = new StepMatrix[args.size()];
        boolean[] scalar = new boolean[args.size()];
        for (int i = 0; i < args.size(); i++) {
            Expr a = unwrap(args.get(i));
            switch (a.type()) {
                case STRING -> call.strings[i] = (String) ev.eval(a);
                case SCALAR -> {
                    inputs[i] = ev.evalSteps(a);
                    scalar[i] = true;
                }
                case VECTOR -> {
                    if (def.usesSampleTimestamps() && a instanceof VectorSelector vs) {
                        inputs[i] = Selectors.instantVector(ev, vs, true);
                        call.sampleTimestamps = true;
                    } else {
                        inputs[i] = ev.evalSteps(a);
                    }
                }
                case MATRIX -> throw new PromQLException.EvalException(
                        "expected an instant vector or scalar argument in call to " + c.function() + ", got range vector");
            }
        }
        return ev.stepwise(inputs, (step, t, in, out) -> {
            call.timeMs = t;
            for (int i = 0; i < inputs.length; i++) {
                if (scalar[i]) {
                    call.scalars[i] = in[i].value(0);
                } else if (inputs[i] != null) {
                    call.vectors[i] = in[i];
                }
            }
            def.fn().apply(call, out);
        });
    }
}

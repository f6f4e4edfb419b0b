package dev.sandglass.query.engine;

import dev.sandglass.query.ast.SubqueryExpr;
import java.util.ArrayList;
import java.util.List;

/** {@code expr[range:step] offset d @ t}: the inner expression evaluated on its own step grid. */
final class Subqueries {
    private Subqueries() {
    }

    /**
     * Evaluates the inner expression from the first multiple of the step at or after
     * {@code start - offset - range} (Prometheus aligns subquery steps to absolute multiples, so
     * results do not depend on the query's start) to {@code end - offset}; with {@code @} both ends
     * are taken from the @ time. The points become the series of a range vector.
     */
    static RangeVector eval(Evaluator ev, SubqueryExpr sq) {
        long step = sq.stepMs() > 0 ? sq.stepMs() : ev.ctx.options.defaultSubqueryStepMs();
        Long at = ev.resolveAt(sq.at());
        long base = (at != null ? at : ev.start) - sq.offsetMs() - sq.rangeMs();
        long childEnd = (at != null ? at : ev.end) - sq.offsetMs();
        // Go's integer division truncates toward zero, as Java's does; the correction below
        // then moves a negative base's start up to the next multiple.
        long childStart = step * (base / step);
        if (childStart < base) {
            childStart += step;
        }
        Evaluator child = new Evaluator(ev.ctx, childStart, childEnd, step);
        StepMatrix m = child.evalSteps(sq.expr());
        List<RawSeries> out = new ArrayList<>(m.series.size());
        for (StepSeries s : m.series) {
            out.add(s.toRaw(childStart, step));
        }
        return RangeVector.computed(out, sq.rangeMs(), sq.offsetMs(), at);
    }
}

package dev.sandglass.query.engine;

import dev.sandglass.query.ast.AggregateExpr;
import dev.sandglass.query.ast.AtModifier;
import dev.sandglass.query.ast.BinaryExpr;
import dev.sandglass.query.ast.Call;
import dev.sandglass.query.ast.Expr;
import dev.sandglass.query.ast.MatrixSelector;
import dev.sandglass.query.ast.ParenExpr;
import dev.sandglass.query.ast.SubqueryExpr;
import dev.sandglass.query.ast.UnaryExpr;
import dev.sandglass.query.ast.VectorSelector;

/**
 * The one time range a query reads, computed before evaluation as Prometheus's findMinMaxTime
 * does: for each selector, the query range moved by every enclosing subquery's offset and range
 * (an {@code @} resets that), then by the selector's own offset, and widened by its range or the
 * lookback delta.
 */
final class SelectRange {
    private final long start;
    private final long end;
    private final long lookback;
    long minT = Long.MAX_VALUE;
    long maxT = Long.MIN_VALUE;

    private SelectRange(long start, long end, long lookback) {
        this.start = start;
        this.end = end;
        this.lookback = lookback;
    }

    /** {minT, maxT}; {0, 0} when the query has no selector. */
    static long[] of(Expr e, long start, long end, long lookbackMs) {
        SelectRange r = new SelectRange(start, end, lookbackMs);
        r.walk(e, 0, 0, null, 0);
        if (r.maxT == Long.MIN_VALUE) {
            return new long[] {0, 0};
        }
        return new long[] {r.minT, r.maxT};
    }

    private Long resolve(AtModifier at) {
        if (at == null) {
            return null;
        }
        return switch (at.kind()) {
            case START -> start;
            case END -> end;
            case TIMESTAMP -> at.timestampMs();
        };
    }

    private void walk(Expr e, long subqOffset, long subqRange, Long subqAt, long evalRange) {
        if (e instanceof VectorSelector vs) {
            long s = start;
            long t = end;
            if (subqAt != null) {
                s = subqAt;
                t = subqAt;
            }
            Long at = resolve(vs.at());
            if (at != null) {
                s = at;
                t = at;
            } else {
                s = s - subqOffset - subqRange;
                t = t - subqOffset;
            }
            s -= evalRange == 0 ? lookback : evalRange;
            s -= vs.offsetMs();
            t -= vs.offsetMs();
            minT = Math.min(minT, s);
            maxT = Math.max(maxT, t);
        } else if (e instanceof MatrixSelector ms) {
            walk(ms.vector(), subqOffset, subqRange, subqAt, ms.rangeMs());
        } else if (e instanceof SubqueryExpr sq) {
            Long at = resolve(sq.at());
            if (at != null) {
                walk(sq.expr(), sq.offsetMs(), sq.rangeMs(), at, 0);
            } else {
                walk(sq.expr(), subqOffset + sq.offsetMs(), subqRange + sq.rangeMs(), subqAt, 0);
            }
        } else if (e instanceof ParenExpr p) {
            walk(p.expr(), subqOffset, subqRange, subqAt, 0);
        } else if (e instanceof UnaryExpr u) {
            walk(u.expr(), subqOffset, subqRange, subqAt, 0);
        } else if (e instanceof BinaryExpr b) {
            walk(b.lhs(), subqOffset, subqRange, subqAt, 0);
            walk(b.rhs(), subqOffset, subqRange, subqAt, 0);
        } else if (e instanceof AggregateExpr a) {
            if (a.param() != null) {
                walk(a.param(), subqOffset, subqRange, subqAt, 0);
            }
            walk(a.expr(), subqOffset, subqRange, subqAt, 0);
        } else if (e instanceof Call c) {
            for (Expr arg : c.args()) {
                walk(arg, subqOffset, subqRange, subqAt, 0);
            }
        }
    }
}

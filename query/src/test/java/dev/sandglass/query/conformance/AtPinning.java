package dev.sandglass.query.conformance;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The 2.42 harness's extra pass (atModifierTestCases in promql/test.go): every selector and
 * subquery outside a subquery gets {@code @ <eval time>} unless it has one, and the query must
 * then give the same answer at other evaluation times. Skipped for expressions using functions
 * whose result depends on the evaluation time itself.
 */
final class AtPinning {
    private static final Set<String> TIME_DEPENDENT = Set.of("days_in_month", "day_of_month", "day_of_week",
            "day_of_year", "hour", "minute", "month", "year", "predict_linear", "time", "timestamp");

    private AtPinning() {
    }

    /** Other evaluation times to try, as the harness picks them. */
    static long[] otherTimes(long t) {
        return t == 0 ? new long[] {-1000, 0, 1000} : new long[] {-10 * t, 0, t / 5, t, 10 * t};
    }

    static boolean timeDependent(Expr e) {
        if (e instanceof Call c) {
            if (TIME_DEPENDENT.contains(c.function())) {
                return true;
            }
            return c.args().stream().anyMatch(AtPinning::timeDependent);
        } else if (e instanceof ParenExpr p) {
            return timeDependent(p.expr());
        } else if (e instanceof UnaryExpr u) {
            return timeDependent(u.expr());
        } else if (e instanceof BinaryExpr b) {
            return timeDependent(b.lhs()) || timeDependent(b.rhs());
        } else if (e instanceof AggregateExpr a) {
            return a.param() != null && timeDependent(a.param()) || timeDependent(a.expr());
        } else if (e instanceof SubqueryExpr s) {
            return timeDependent(s.expr());
        }
        return false;
    }

    /** A copy of {@code e} with {@code @ t} on selectors and subqueries; a subquery's inside is left alone. */
    static Expr pin(Expr e, long t) {
        AtModifier at = AtModifier.at(t);
        if (e instanceof VectorSelector v) {
            return v.at() != null ? v : new VectorSelector(v.name(), v.matchers(), v.offsetMs(), at);
        } else if (e instanceof MatrixSelector m) {
            return new MatrixSelector((VectorSelector) pin(m.vector(), t), m.rangeMs());
        } else if (e instanceof SubqueryExpr s) {
            return s.at() != null ? s : new SubqueryExpr(s.expr(), s.rangeMs(), s.stepMs(), s.offsetMs(), at);
        } else if (e instanceof Call c) {
            List<Expr> args = new ArrayList<>();
            for (Expr a : c.args()) {
                args.add(pin(a, t));
            }
            return new Call(c.function(), args, c.returnType());
        } else if (e instanceof ParenExpr p) {
            return new ParenExpr(pin(p.expr(), t));
        } else if (e instanceof UnaryExpr u) {
            return new UnaryExpr(u.negate(), pin(u.expr(), t));
        } else if (e instanceof BinaryExpr b) {
            return new BinaryExpr(b.op(), pin(b.lhs(), t), pin(b.rhs(), t), b.matching(), b.returnBool());
        } else if (e instanceof AggregateExpr a) {
            return new AggregateExpr(a.op(), pin(a.expr(), t), a.param() == null ? null : pin(a.param(), t), a.grouping(), a.without());
        }
        return e;
    }
}

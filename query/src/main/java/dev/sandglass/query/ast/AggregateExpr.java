package dev.sandglass.query.ast;

import java.util.List;

/**
 * {@code op by|without (grouping) (param, expr)}. {@code param} is null for operators without one.
 * {@code without} false with an empty grouping means "aggregate everything into one group".
 */
public record AggregateExpr(AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without) implements Expr {
    @Override
    public ValueType type() {
        return ValueType.VECTOR;
    }
}

package dev.sandglass.query.ast;

/**
 * {@code lhs op rhs}. {@code matching} is non-null when both sides are vectors (set operators get
 * MANY_TO_MANY). {@code returnBool} is the {@code bool} modifier of comparisons.
 */
public record BinaryExpr(BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool) implements Expr {
    @Override
    public ValueType type() {
        return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
    }
}

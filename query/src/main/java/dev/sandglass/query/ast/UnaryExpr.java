package dev.sandglass.query.ast;

/** Unary {@code -expr} ({@code negate} true) or {@code +expr}. */
public record UnaryExpr(boolean negate, Expr expr) implements Expr {
    @Override
    public ValueType type() {
        return expr.type();
    }
}

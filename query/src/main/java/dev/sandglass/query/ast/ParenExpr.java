package dev.sandglass.query.ast;

public record ParenExpr(Expr expr) implements Expr {
    @Override
    public ValueType type() {
        return expr.type();
    }
}

package dev.sandglass.query.ast;

/** {@code expr[range:step] offset d @ t}; {@code stepMs} is 0 when the step was left out (default applies). */
public record SubqueryExpr(Expr expr, long rangeMs, long stepMs, long offsetMs, AtModifier at) implements Expr {
    @Override
    public ValueType type() {
        return ValueType.MATRIX;
    }
}

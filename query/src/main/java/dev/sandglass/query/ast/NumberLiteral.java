package dev.sandglass.query.ast;

public record NumberLiteral(double value) implements Expr {
    @Override
    public ValueType type() {
        return ValueType.SCALAR;
    }
}

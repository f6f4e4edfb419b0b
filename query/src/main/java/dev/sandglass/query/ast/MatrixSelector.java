package dev.sandglass.query.ast;

/** {@code selector[range]}; offset and @ live on the inner vector selector, as in Prometheus. */
public record MatrixSelector(VectorSelector vector, long rangeMs) implements Expr {
    @Override
    public ValueType type() {
        return ValueType.MATRIX;
    }
}

package dev.sandglass.query.ast;

public record StringLiteral(String value) implements Expr {
    @Override
    public ValueType type() {
        return ValueType.STRING;
    }
}

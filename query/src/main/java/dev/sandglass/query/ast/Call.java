package dev.sandglass.query.ast;

import java.util.List;

/** A function call; {@code returnType} comes from the function's signature. */
public record Call(String function, List<Expr> args, ValueType returnType) implements Expr {
    @Override
    public ValueType type() {
        return returnType;
    }
}

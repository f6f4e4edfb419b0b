package dev.sandglass.query.parser;

import dev.sandglass.query.ast.ValueType;
import java.util.List;

/**
 * A PromQL function's type signature. {@code variadic} is 0 for a fixed argument list, n > 0 when
 * the last n argument types may be left out, -1 when the last argument type repeats without limit
 * (at least {@code argTypes.size() - 1} arguments then).
 */
public record FunctionSignature(String name, List<ValueType> argTypes, int variadic, ValueType returnType) {
    public FunctionSignature {
        argTypes = List.copyOf(argTypes);
    }

    public int minArgs() {
        return variadic == 0 ? argTypes.size() : argTypes.size() - 1;
    }

    /** Largest argument count accepted, or {@link Integer#MAX_VALUE} when unlimited. */
    public int maxArgs() {
        if (variadic < 0) {
            return Integer.MAX_VALUE;
        }
        return variadic == 0 ? argTypes.size() : argTypes.size() - 1 + variadic;
    }

    /** The expected type of argument {@code i}; repeating arguments take the last type. */
    public ValueType argType(int i) {
        return argTypes.get(Math.min(i, argTypes.size() - 1));
    }
}

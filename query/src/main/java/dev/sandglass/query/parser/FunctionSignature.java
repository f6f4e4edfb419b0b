package dev.sandglass.query.parser;

import dev.sandglass.query.ast.ValueType;
import java.util.List;

/**
 * What the type checker knows of a function: argument types, how many further arguments it takes
 * ({@code variadic}: 0 none, n up to n optional trailing arguments of the last type, -1 any number),
 * and its return type.
 */
public record FunctionSignature(String name, List<ValueType> argTypes, int variadic, ValueType returnType) {
}

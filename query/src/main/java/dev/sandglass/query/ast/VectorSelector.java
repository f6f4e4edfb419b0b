package dev.sandglass.query.ast;

import dev.sandglass.storage.api.Matcher;
import java.util.List;

/**
 * {@code name{matchers} offset d @ t}. {@code matchers} includes the {@code __name__} matcher when a
 * name was written; {@code name} is that name or null. {@code at} is null when there is no {@code @}.
 */
public record VectorSelector(String name, List<Matcher> matchers, long offsetMs, AtModifier at) implements Expr {
    @Override
    public ValueType type() {
        return ValueType.VECTOR;
    }
}

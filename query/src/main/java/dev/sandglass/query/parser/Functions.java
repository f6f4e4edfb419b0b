package dev.sandglass.query.parser;

import static dev.sandglass.query.ast.ValueType.MATRIX;
import static dev.sandglass.query.ast.ValueType.SCALAR;
import static dev.sandglass.query.ast.ValueType.STRING;
import static dev.sandglass.query.ast.ValueType.VECTOR;

import dev.sandglass.query.ast.ValueType;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The type signatures of every PromQL function of Prometheus 2.42 (its promql/parser/functions.go,
 * native-histogram functions included), used by the type checker. The evaluator keeps the
 * implementations in registries of its own; a test checks that the two agree.
 */
public final class Functions {
    private static final Map<String, FunctionSignature> TABLE = new TreeMap<>();

    static {
        // Instant-vector math: one vector in, one vector out.
        for (String name : List.of("abs", "ceil", "exp", "floor", "ln", "log10", "log2", "sgn", "sqrt",
                "sort", "sort_desc", "timestamp", "absent", "histogram_count", "histogram_sum",
                "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh",
                "deg", "rad")) {
            add(name, List.of(VECTOR), 0, VECTOR);
        }
        // Range functions: one range vector in, one vector out.
        for (String name : List.of("absent_over_time", "avg_over_time", "changes", "count_over_time", "delta",
                "deriv", "idelta", "increase", "irate", "last_over_time", "max_over_time", "min_over_time",
                "present_over_time", "rate", "resets", "stddev_over_time", "stdvar_over_time", "sum_over_time")) {
            add(name, List.of(MATRIX), 0, VECTOR);
        }
        // Date functions: the vector is optional (defaults to vector(time())).
        for (String name : List.of("day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour",
                "minute", "month", "year")) {
            add(name, List.of(VECTOR), 1, VECTOR);
        }
        add("clamp", List.of(VECTOR, SCALAR, SCALAR), 0, VECTOR);
        add("clamp_max", List.of(VECTOR, SCALAR), 0, VECTOR);
        add("clamp_min", List.of(VECTOR, SCALAR), 0, VECTOR);
        add("histogram_fraction", List.of(SCALAR, SCALAR, VECTOR), 0, VECTOR);
        add("histogram_quantile", List.of(SCALAR, VECTOR), 0, VECTOR);
        add("holt_winters", List.of(MATRIX, SCALAR, SCALAR), 0, VECTOR);
        add("label_join", List.of(VECTOR, STRING, STRING, STRING), -1, VECTOR);
        add("label_replace", List.of(VECTOR, STRING, STRING, STRING, STRING), 0, VECTOR);
        add("predict_linear", List.of(MATRIX, SCALAR), 0, VECTOR);
        add("quantile_over_time", List.of(SCALAR, MATRIX), 0, VECTOR);
        add("round", List.of(VECTOR, SCALAR), 1, VECTOR);
        add("scalar", List.of(VECTOR), 0, SCALAR);
        add("time", List.of(), 0, SCALAR);
        add("pi", List.of(), 0, SCALAR);
        add("vector", List.of(SCALAR), 0, VECTOR);
    }

    private Functions() {
    }

    private static void add(String name, List<ValueType> args, int variadic, ValueType ret) {
        if (TABLE.put(name, new FunctionSignature(name, args, variadic, ret)) != null) {
            throw new IllegalStateException("BUG: function " + name + " listed twice");
        }
    }

    /** The signature of {@code name}, or null when there is no such function (names are case-sensitive). */
    public static FunctionSignature get(String name) {
        return TABLE.get(name);
    }

    /** Every signature by name, sorted. */
    public static Map<String, FunctionSignature> all() {
        return Collections.unmodifiableMap(TABLE);
    }
}

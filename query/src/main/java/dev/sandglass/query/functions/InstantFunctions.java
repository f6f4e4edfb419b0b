package dev.sandglass.query.functions;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/**
 * Registry of functions of instant vectors, scalars and strings, evaluated once per step: one row
 * per function. The evaluator fills an {@link InstantCall} and calls the row; it never looks at names.
 */
public final class InstantFunctions {
    /**
     * @param dropsMetricName      output elements lose {@code __name__} (InstantCall.outLabels applies it)
     * @param usesSampleTimestamps given a plain selector, the function wants each sample's own
     *                             timestamp rather than its value (timestamp())
     */
    public record Def(String name, InstantFunction fn, boolean dropsMetricName, boolean usesSampleTimestamps) {
    }

    private static final Map<String, Def> TABLE = new LinkedHashMap<>();

    private static void row(String name, InstantFunction fn, boolean dropsMetricName) {
        TABLE.put(name, new Def(name, fn, dropsMetricName, false));
    }

    private static void math(String name, DoubleUnaryOperator f) {
        row(name, MiscFunctions.elementwise(f), true);
    }

    private static void date(String name, java.util.function.ToDoubleFunction<DateFunctions.Civil> f) {
        row(name, DateFunctions.of(f), true);
    }

    static {
        // abs(v instant-vector) and the other element-wise math: name dropped
        math("abs", Math::abs);
        math("ceil", Math::ceil);
        math("floor", Math::floor);
        math("exp", Math::exp);
        math("sqrt", Math::sqrt);
        math("ln", Math::log);
        math("log2", TrigFunctions::log2);
        math("log10", Math::log10);
        math("sgn", MiscFunctions::sgn);
        math("sin", Math::sin);
        math("cos", Math::cos);
        math("tan", Math::tan);
        math("asin", Math::asin);
        math("acos", Math::acos);
        math("atan", Math::atan);
        math("sinh", Math::sinh);
        math("cosh", Math::cosh);
        math("tanh", Math::tanh);
        math("asinh", TrigFunctions::asinh);
        math("acosh", TrigFunctions::acosh);
        math("atanh", TrigFunctions::atanh);
        math("rad", v -> v * Math.PI / 180);
        math("deg", v -> v * 180 / Math.PI);
        // pi() scalar
        row("pi", MiscFunctions::pi, false);
        // clamp(v instant-vector, min scalar, max scalar): empty when max < min
        row("clamp", MiscFunctions::clamp, true);
        row("clamp_min", MiscFunctions::clampMin, true);
        row("clamp_max", MiscFunctions::clampMax, true);
        // round(v instant-vector, to_nearest=1 scalar)
        row("round", MiscFunctions::round, true);
        // scalar(v instant-vector): NaN unless exactly one element
        row("scalar", MiscFunctions::scalar, false);
        // vector(s scalar)
        row("vector", MiscFunctions::vector, false);
        // time() scalar
        row("time", MiscFunctions::time, false);
        // timestamp(v instant-vector)
        TABLE.put("timestamp", new Def("timestamp", MiscFunctions::timestamp, true, true));
        // absent(v instant-vector)
        row("absent", MiscFunctions::absent, false);
        // label_replace(v, dst, replacement, src, regex) and label_join(v, dst, sep, src...): name kept
        row("label_replace", LabelFunctions::labelReplace, false);
        row("label_join", LabelFunctions::labelJoin, false);
        // sort(v instant-vector), sort_desc: order is the result
        row("sort", MiscFunctions::sortAscending, false);
        row("sort_desc", MiscFunctions::sortDescending, false);
        // histogram_quantile(q scalar, b instant-vector): classic le buckets
        row("histogram_quantile", MiscFunctions::histogramQuantile, true);
        // histogram_count(v), histogram_sum(v), histogram_fraction(lower, upper, v): these read native
        // histograms only and skip float samples; Sandglass stores floats only, so like Prometheus
        // on float data they return nothing.
        row("histogram_count", MiscFunctions::nativeHistogramsOnly, true);
        row("histogram_sum", MiscFunctions::nativeHistogramsOnly, true);
        row("histogram_fraction", MiscFunctions::nativeHistogramsOnly, true);
        // days_in_month(v=vector(time()) instant-vector) and the other calendar fields, UTC
        date("days_in_month", DateFunctions.Civil::daysInMonth);
        date("day_of_month", DateFunctions.Civil::day);
        date("day_of_week", DateFunctions.Civil::dayOfWeek);
        date("day_of_year", DateFunctions.Civil::dayOfYear);
        date("hour", DateFunctions.Civil::hour);
        date("minute", DateFunctions.Civil::minute);
        date("month", DateFunctions.Civil::month);
        date("year", DateFunctions.Civil::year);
    }

    private InstantFunctions() {
    }

    /** The row for a function name, or null when it is not an instant function. */
    public static Def get(String name) {
        return TABLE.get(name);
    }

    public static Set<String> names() {
        return Collections.unmodifiableSet(TABLE.keySet());
    }
}

package dev.sandglass.query.functions;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Registry of functions whose argument is a range vector: one row per function. The evaluator
 * slides each series' window and calls the row's implementation; it never looks at names.
 */
public final class RangeFunctions {
    /**
     * @param keepsMetricName  the output keeps {@code __name__} (only last_over_time, which acts like an offset)
     * @param reportsAbsence   the per-series results are folded into one series of 1 at steps where no
     *                         series had samples, labelled from the selector's equality matchers (absent_over_time)
     */
    public record Def(String name, RangeFunction fn, boolean keepsMetricName, boolean reportsAbsence, Batch batch, Bounds bounds) {
    }

    /**
     * Optional: every window of one series at once, each with a result, bit for bit as {@code fn}
     * (lets a function overlap the work of several windows).
     */
    @FunctionalInterface
    public interface Batch {
        void apply(double[] v, int[] from, int[] to, int windows, double[] out);
    }

    /**
     * Optional, with {@link Batch}: for every window of one series a closed interval
     * {@code [lo, hi]} certain to hold {@code fn}'s result, far cheaper than the result. topk and
     * bottomk use it to compute exactly only the windows that can still rank; a window whose
     * result cannot be bounded gets {@code [-Inf, +Inf]}. {@code scratch} lends a buffer.
     */
    @FunctionalInterface
    public interface Bounds {
        void apply(double[] v, int[] from, int[] to, int windows, double[] lo, double[] hi, Window scratch);
    }

    private static final Map<String, Def> TABLE = new LinkedHashMap<>();

    private static void row(String name, RangeFunction fn) {
        TABLE.put(name, new Def(name, fn, false, false, null, null));
    }

    static {
        // rate(v range-vector): per-second increase, counter resets corrected, extrapolated
        row("rate", w -> RateFunctions.extrapolatedRate(w, true, true));
        // increase(v range-vector)
        row("increase", w -> RateFunctions.extrapolatedRate(w, true, false));
        // delta(v range-vector): for gauges, no reset correction
        row("delta", w -> RateFunctions.extrapolatedRate(w, false, false));
        // irate(v range-vector): from the last two samples
        row("irate", w -> RateFunctions.instantValue(w, true));
        // idelta(v range-vector)
        row("idelta", w -> RateFunctions.instantValue(w, false));
        // resets(v range-vector)
        row("resets", RateFunctions::resets);
        // changes(v range-vector)
        row("changes", RateFunctions::changes);
        // deriv(v range-vector): least-squares slope per second
        row("deriv", RateFunctions::deriv);
        // predict_linear(v range-vector, t scalar)
        row("predict_linear", w -> RateFunctions.predictLinear(w, w.scalarArgs[1]));
        // holt_winters(v range-vector, sf scalar, tf scalar)
        row("holt_winters", w -> RateFunctions.holtWinters(w, w.scalarArgs[1], w.scalarArgs[2]));
        // avg_over_time(v range-vector) and the rest of the family
        TABLE.put("avg_over_time", new Def("avg_over_time", OverTimeFunctions::avg, false, false, OverTimeFunctions::avgAll,
                OverTimeFunctions::avgBounds));
        TABLE.put("min_over_time", new Def("min_over_time", OverTimeFunctions::min, false, false, OverTimeFunctions::minAll, null));
        TABLE.put("max_over_time", new Def("max_over_time", OverTimeFunctions::max, false, false, OverTimeFunctions::maxAll, null));
        row("sum_over_time", OverTimeFunctions::sum);
        row("count_over_time", OverTimeFunctions::count);
        // quantile_over_time(q scalar, v range-vector)
        row("quantile_over_time", w -> OverTimeFunctions.quantile(w, w.scalarArgs[0]));
        row("stddev_over_time", OverTimeFunctions::stddev);
        row("stdvar_over_time", OverTimeFunctions::stdvar);
        row("present_over_time", OverTimeFunctions::present);
        TABLE.put("last_over_time", new Def("last_over_time", OverTimeFunctions::last, true, false, null, null));
        // absent_over_time(v range-vector): 1 where the selector had no samples at all
        TABLE.put("absent_over_time", new Def("absent_over_time", OverTimeFunctions::present, false, true, null, null));
    }

    private RangeFunctions() {
    }

    /** The row for a function name, or null when it is not a range function. */
    public static Def get(String name) {
        return TABLE.get(name);
    }

    public static Set<String> names() {
        return Collections.unmodifiableSet(TABLE.keySet());
    }
}

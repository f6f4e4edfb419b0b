package dev.sandglass.query.engine;

import dev.sandglass.query.ast.AggregateExpr;
import dev.sandglass.query.ast.AggregateOp;
import dev.sandglass.query.functions.Quantiles;
import dev.sandglass.storage.api.Labels;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Aggregation operators with Prometheus 2.42's float arithmetic: plain sums, the incremental mean
 * of avg (with its handling of infinities), Welford for stddev/stdvar, NaN replaced by any value
 * in min/max, topk/bottomk ranking NaN last. Groups come out in order of first appearance.
 */
final class Aggregations {
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** The largest double that converts to an int64 (topk's k) without overflow. */
    static final double MAX_INT64 = 9.223372036854775807E18;

    private Aggregations() {
    }

    /** A group of count_values, topk, bottomk or quantile at one step. */
    private static final class Group {
        final Labels labels;
        long count;
        int[] members = new int[4];
        int size;

        Group(Labels labels) {
            this.labels = labels;
        }

        void addMember(int i) {
            if (size == members.length) {
                members = Arrays.copyOf(members, size * 2);
            }
            members[size++] = i;
        }
    }

    static StepMatrix eval(Evaluator ev, AggregateExpr a) {
        AggregateOp op = a.op();
        List<String> grouping = a.grouping();
        boolean without = a.without();
        StepMatrix paramValues = null;
        String valueLabel = null;
        if (op == AggregateOp.COUNT_VALUES) {
            valueLabel = (String) ev.eval(Calls.unwrap(a.param()));
            if (!LABEL_NAME.matcher(valueLabel).matches()) {
                throw new PromQLException.EvalException("invalid label name \"" + valueLabel + "\"");
            }
        } else if (op.takesParameter()) {
            paramValues = ev.evalSteps(a.param());
        }
        final StepMatrix param = paramValues;
        boolean ranks = op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK;
        StepMatrix input = ev.evalSteps(a.expr(), ranks ? new Ranking(param, op == AggregateOp.TOPK, grouping, without) : null);
        // The group of each input series is fixed, so compute it once per series, not per step.
        Labels[] groupOf = new Labels[input.series.size()];
        for (int i = 0; i < groupOf.length; i++) {
            groupOf[i] = groupLabels(input.series.get(i).labels(), grouping, without);
        }
        final String vl = valueLabel;
        StepMatrix[] inputs = {param, input};
        if (DenseAggregation.handles(op)) {
            DenseAggregation dense = new DenseAggregation(op, groupOf);
            return ev.stepwise(inputs, (step, t, in, out) -> dense.apply(in[1], out));
        }
        return ev.stepwise(inputs, (step, t, in, out) -> {
            double p = param != null ? in[0].value(0) : 0;
            aggregate(op, in[1], groupOf, grouping, without, p, vl, out);
        });
    }

    static Labels groupLabels(Labels l, List<String> grouping, boolean without) {
        if (without) {
            Labels.Builder b = l.builder();
            b.del(grouping.toArray(new String[0]));
            b.del(Labels.METRIC_NAME);
            return b.build();
        }
        if (grouping.isEmpty()) {
            return Labels.EMPTY;
        }
        return l.builder().keep(grouping).build();
    }

    private static void aggregate(AggregateOp op, StepVector vec, Labels[] groupOf, List<String> grouping,
            boolean without, double param, String valueLabel, StepVector out) {
        long k = 0;
        if (op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK) {
            if (!(param <= MAX_INT64 && param >= -MAX_INT64)) {
                throw new PromQLException.EvalException("Scalar value " + formatGo(param) + " overflows int64");
            }
            k = (long) param;
            if (k < 1) {
                return;
            }
        }
        Map<Labels, Group> groups = new LinkedHashMap<>();
        List<String> cvGrouping = null;
        if (op == AggregateOp.COUNT_VALUES && !without) {
            cvGrouping = new ArrayList<>(grouping);
            cvGrouping.add(valueLabel);
        }
        for (int i = 0; i < vec.size(); i++) {
            Labels key;
            if (op == AggregateOp.COUNT_VALUES) {
                Labels metric = vec.labels(i).builder().set(valueLabel, formatValue(vec.value(i))).build();
                key = groupLabels(metric, without ? grouping : cvGrouping, without);
            } else {
                key = groupOf[vec.source(i)];
            }
            Group g = groups.get(key);
            if (g == null) {
                g = new Group(key);
                groups.put(key, g);
            }
            // The rest go through DenseAggregation: here count_values counts, the others keep members.
            if (op == AggregateOp.COUNT_VALUES) {
                g.count++;
            } else {
                g.addMember(i);
            }
        }
        for (Group g : groups.values()) {
            switch (op) {
                case COUNT_VALUES -> out.add(g.labels, g.count);
                case QUANTILE -> {
                    double[] vals = new double[g.size];
                    for (int j = 0; j < g.size; j++) {
                        vals[j] = vec.value(g.members[j]);
                    }
                    out.add(g.labels, Quantiles.quantile(param, vals, g.size));
                }
                case TOPK, BOTTOMK -> ranked(vec, g, k, op == AggregateOp.TOPK, out);
                default -> throw new IllegalStateException("BUG: " + op + " is aggregated by DenseAggregation");
            }
        }
    }

    /** The members topk or bottomk keeps, in Prometheus's order: {@link HeapRanking}. */
    private static void ranked(StepVector vec, Group g, long k, boolean top, StepVector out) {
        double[] vals = new double[g.size];
        for (int j = 0; j < g.size; j++) {
            vals[j] = vec.value(g.members[j]);
        }
        for (int j : HeapRanking.select(vals, g.size, k, top)) {
            int m = g.members[j];
            out.add(vec.labels(m), vec.value(m), vec.source(m));
        }
    }

    /** Go's strconv.FormatFloat(v, 'f', -1, 64): shortest digits that round-trip, never an exponent. */
    static String formatValue(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        String s = new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
        return s;
    }

    private static String formatGo(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(v);
    }
}

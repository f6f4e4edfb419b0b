package dev.sandglass.query.engine;

import dev.sandglass.query.ast.AggregateOp;
import dev.sandglass.storage.api.Labels;
import java.util.HashMap;
import java.util.Map;

/**
 * sum, avg, min, max, count, stddev, stdvar and group over groups fixed per input series (every
 * operator but those keeping members or labelling by value): each group is numbered once, and a
 * step's state lives in arrays indexed by that number, reused at every step. The same arithmetic,
 * in the same order, as {@link Aggregations}'s per-step groups, without a map and an object per
 * group at every step (for {@code sum by (sandbox_name)} over 100 sandboxes and 361 steps, that
 * was most of what the query allocated). Not thread-safe: one per evaluation, used step by step.
 */
final class DenseAggregation {
    private final AggregateOp op;
    private final Labels[] labels;
    /** Input series index to its group's number. */
    private final int[] groupOfSeries;
    private final double[] value;
    private final double[] mean;
    private final long[] count;
    /** The step (plus one) at which each group was last seen: first seen at this step when it differs. */
    private final int[] seenAt;
    /** Groups in order of first appearance at this step. */
    private final int[] order;
    private int stamp;

    static boolean handles(AggregateOp op) {
        return switch (op) {
            case SUM, AVG, MIN, MAX, COUNT, STDDEV, STDVAR, GROUP -> true;
            default -> false;
        };
    }

    DenseAggregation(AggregateOp op, Labels[] groupOf) {
        this.op = op;
        groupOfSeries = new int[groupOf.length];
        Map<Labels, Integer> numbers = new HashMap<>();
        for (int i = 0; i < groupOf.length; i++) {
            Integer g = numbers.putIfAbsent(groupOf[i], numbers.size());
            groupOfSeries[i] = g != null ? g : numbers.size() - 1;
        }
        int n = numbers.size();
        labels = new Labels[n];
        for (Map.Entry<Labels, Integer> e : numbers.entrySet()) {
            labels[e.getValue()] = e.getKey();
        }
        value = new double[n];
        mean = new double[n];
        count = new long[n];
        seenAt = new int[n];
        order = new int[n];
    }

    /** One step: the elements of {@code vec} folded into their groups, then the groups into {@code out}. */
    void apply(StepVector vec, StepVector out) {
        stamp++;
        int groups = 0;
        for (int i = 0; i < vec.size(); i++) {
            double v = vec.value(i);
            int g = groupOfSeries[vec.source(i)];
            if (seenAt[g] != stamp) {
                seenAt[g] = stamp;
                order[groups++] = g;
                value[g] = switch (op) {
                    case STDDEV, STDVAR -> 0;
                    case GROUP -> 1;
                    default -> v;
                };
                mean[g] = v;
                count[g] = 1;
                continue;
            }
            switch (op) {
                case SUM -> value[g] += v;
                case AVG -> {
                    count[g]++;
                    if (Double.isInfinite(mean[g])) {
                        if (Double.isInfinite(v) && (mean[g] > 0) == (v > 0)) {
                            break;
                        }
                        if (!Double.isInfinite(v) && !Double.isNaN(v)) {
                            break;
                        }
                    }
                    // Divide each term by the count first to avoid overflow, as Prometheus does.
                    mean[g] += v / count[g] - mean[g] / count[g];
                }
                case MAX -> {
                    if (value[g] < v || Double.isNaN(value[g])) {
                        value[g] = v;
                    }
                }
                case MIN -> {
                    if (value[g] > v || Double.isNaN(value[g])) {
                        value[g] = v;
                    }
                }
                case COUNT -> count[g]++;
                case STDDEV, STDVAR -> {
                    count[g]++;
                    double delta = v - mean[g];
                    mean[g] += delta / count[g];
                    value[g] += delta * (v - mean[g]);
                }
                default -> {
                }
            }
        }
        for (int k = 0; k < groups; k++) {
            int g = order[k];
            switch (op) {
                case AVG -> out.add(labels[g], mean[g]);
                case COUNT -> out.add(labels[g], count[g]);
                case STDVAR -> out.add(labels[g], value[g] / count[g]);
                case STDDEV -> out.add(labels[g], Math.sqrt(value[g] / count[g]));
                default -> out.add(labels[g], value[g]);
            }
        }
    }
}

package dev.sandglass.query.engine;

import dev.sandglass.query.ast.BinaryExpr;
import dev.sandglass.query.ast.BinaryOp;
import dev.sandglass.query.ast.ValueType;
import dev.sandglass.query.ast.VectorMatching;
import dev.sandglass.query.ast.VectorMatching.Cardinality;
import dev.sandglass.storage.api.Labels;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binary operators between scalars and vectors: arithmetic ({@code %} and {@code ^} as Go's
 * math.Mod and math.Pow), comparisons as filters or with {@code bool}, set operators, and vector
 * matching with on/ignoring and group_left/group_right, with Prometheus 2.42's errors.
 */
final class BinaryOperators {
    private static final VectorMatching DEFAULT_MATCHING =
            new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), false, List.of());

    private BinaryOperators() {
    }

    static StepMatrix eval(Evaluator ev, BinaryExpr b) {
        ValueType lt = b.lhs().type();
        ValueType rt = b.rhs().type();
        StepMatrix lhs = ev.evalSteps(b.lhs());
        StepMatrix rhs = ev.evalSteps(b.rhs());
        BinaryOp op = b.op();
        if (lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
            return ev.stepwise(new StepMatrix[] {lhs, rhs},
                    (step, t, in, out) -> out.add(Labels.EMPTY, scalarOp(op, in[0].value(0), in[1].value(0))));
        }
        if (lt == ValueType.VECTOR && rt == ValueType.VECTOR) {
            VectorMatching m = b.matching() != null ? b.matching() : DEFAULT_MATCHING;
            return vectorVector(ev, op, lhs, rhs, m, b.returnBool());
        }
        boolean scalarLeft = lt == ValueType.SCALAR;
        StepMatrix vector = scalarLeft ? rhs : lhs;
        StepMatrix scalar = scalarLeft ? lhs : rhs;
        Labels[] dropped = new Labels[vector.series.size()];
        boolean drop = dropsName(op) || b.returnBool();
        return ev.stepwise(new StepMatrix[] {vector, scalar}, (step, t, in, out) -> {
            double s = in[1].value(0);
            StepVector v = in[0];
            for (int i = 0; i < v.size(); i++) {
                double lv = scalarLeft ? s : v.value(i);
                double rv = scalarLeft ? v.value(i) : s;
                double value = elementOp(op, lv, rv);
                boolean keep = !op.isComparison() || compare(op, lv, rv);
                if (op.isComparison() && scalarLeft) {
                    // A filter keeps the vector's own value, even when the vector is on the right.
                    value = rv;
                }
                if (b.returnBool()) {
                    value = keep ? 1 : 0;
                    keep = true;
                }
                if (!keep) {
                    continue;
                }
                Labels l = v.labels(i);
                if (drop) {
                    int src = v.source(i);
                    if (dropped[src] == null) {
                        dropped[src] = l.withoutMetricName();
                    }
                    l = dropped[src];
                }
                out.add(l, value);
            }
        });
    }

    static boolean dropsName(BinaryOp op) {
        return switch (op) {
            case ADD, SUB, MUL, DIV, MOD, POW -> true;
            default -> false;
        };
    }

    static double scalarOp(BinaryOp op, double l, double r) {
        if (op.isComparison()) {
            return compare(op, l, r) ? 1 : 0;
        }
        return elementOp(op, l, r);
    }

    /** The arithmetic value, or for comparisons the left value (kept when the comparison holds). */
    static double elementOp(BinaryOp op, double l, double r) {
        return switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            case POW -> GoMath.pow(l, r);
            case MOD -> GoMath.mod(l, r);
            case ATAN2 -> Math.atan2(l, r);
            case EQL, NEQ, GTR, LSS, GTE, LTE -> l;
            default -> throw new PromQLException("BUG: operator " + op.symbol() + " is not arithmetic");
        };
    }

    static boolean compare(BinaryOp op, double l, double r) {
        return switch (op) {
            case EQL -> l == r;
            case NEQ -> l != r;
            case GTR -> l > r;
            case LSS -> l < r;
            case GTE -> l >= r;
            case LTE -> l <= r;
            default -> true;
        };
    }

    /** Match keys: labels listed in on(), or all but those in ignoring() and the name. */
    private static String[] signatures(StepMatrix m, VectorMatching matching) {
        String[] sigs = new String[m.series.size()];
        Set<String> names = new HashSet<>(matching.matchingLabels());
        for (int i = 0; i < sigs.length; i++) {
            Labels l = m.series.get(i).labels();
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < l.size(); k++) {
                String n = l.name(k);
                boolean use = matching.on() ? names.contains(n) : !names.contains(n) && !n.equals(Labels.METRIC_NAME);
                if (use) {
                    sb.append(n).append('\u0000').append(l.value(k)).append('\u0001');
                }
            }
            sigs[i] = sb.toString();
        }
        return sigs;
    }

    private static StepMatrix vectorVector(Evaluator ev, BinaryOp op, StepMatrix lhs, StepMatrix rhs,
            VectorMatching matching, boolean returnBool) {
        String[] lsig = signatures(lhs, matching);
        String[] rsig = signatures(rhs, matching);
        StepMatrix[] inputs = {lhs, rhs};
        if (op.isSetOperator()) {
            return ev.stepwise(inputs, (step, t, in, out) -> setOp(op, in[0], in[1], lsig, rsig, out));
        }
        Map<Long, Labels> resultLabels = new HashMap<>();
        return ev.stepwise(inputs, (step, t, in, out) ->
                binop(op, in[0], in[1], lsig, rsig, matching, returnBool, resultLabels, out));
    }

    private static void setOp(BinaryOp op, StepVector l, StepVector r, String[] lsig, String[] rsig, StepVector out) {
        switch (op) {
            case AND -> {
                if (l.size() == 0 || r.size() == 0) {
                    return;
                }
                Set<String> right = sigSet(r, rsig);
                for (int i = 0; i < l.size(); i++) {
                    if (right.contains(lsig[l.source(i)])) {
                        out.add(l.labels(i), l.value(i));
                    }
                }
            }
            case OR -> {
                Set<String> left = sigSet(l, lsig);
                for (int i = 0; i < l.size(); i++) {
                    out.add(l.labels(i), l.value(i));
                }
                for (int i = 0; i < r.size(); i++) {
                    if (!left.contains(rsig[r.source(i)])) {
                        out.add(r.labels(i), r.value(i));
                    }
                }
            }
            case UNLESS -> {
                Set<String> right = sigSet(r, rsig);
                for (int i = 0; i < l.size(); i++) {
                    if (!right.contains(lsig[l.source(i)])) {
                        out.add(l.labels(i), l.value(i));
                    }
                }
            }
            default -> throw new PromQLException("BUG: " + op.symbol() + " is not a set operator");
        }
    }

    private static Set<String> sigSet(StepVector v, String[] sigs) {
        Set<String> s = new HashSet<>();
        for (int i = 0; i < v.size(); i++) {
            s.add(sigs[v.source(i)]);
        }
        return s;
    }

    private static void binop(BinaryOp op, StepVector lhs, StepVector rhs, String[] lsigAll, String[] rsigAll,
            VectorMatching matching, boolean returnBool, Map<Long, Labels> resultLabels, StepVector out) {
        if (lhs.size() == 0 || rhs.size() == 0) {
            return;
        }
        boolean swap = matching.cardinality() == Cardinality.ONE_TO_MANY;
        // For one-to-many, swap sides so the right is always the "one" side; values swap back below.
        StepVector many = swap ? rhs : lhs;
        StepVector one = swap ? lhs : rhs;
        String[] manySig = swap ? rsigAll : lsigAll;
        String[] oneSig = swap ? lsigAll : rsigAll;
        Map<String, Integer> oneBySig = new HashMap<>();
        for (int j = 0; j < one.size(); j++) {
            String sig = oneSig[one.source(j)];
            Integer dup = oneBySig.put(sig, j);
            if (dup != null) {
                Labels matched = matchedLabels(one.labels(j), matching);
                throw new PromQLException.EvalException("found duplicate series for the match group "
                        + LabelText.of(matched) + " on the " + (swap ? "left" : "right")
                        + " hand-side of the operation: [" + LabelText.of(one.labels(j)) + ", "
                        + LabelText.of(one.labels(dup)) + "];many-to-many matching not allowed: matching labels must be unique on one side");
            }
        }
        Map<String, Set<Labels>> matched = new HashMap<>();
        for (int i = 0; i < many.size(); i++) {
            String sig = manySig[many.source(i)];
            Integer j = oneBySig.get(sig);
            if (j == null) {
                continue;
            }
            double vl = many.value(i);
            double vr = one.value(j);
            if (swap) {
                double tmp = vl;
                vl = vr;
                vr = tmp;
            }
            double value = elementOp(op, vl, vr);
            boolean keep = compare(op, vl, vr);
            if (returnBool) {
                value = keep ? 1 : 0;
            } else if (!keep) {
                continue;
            }
            long pair = ((long) many.source(i) << 32) | (one.source(j) & 0xffffffffL);
            if (swap) {
                pair = ~pair;
            }
            Labels metric = resultLabels.get(pair);
            if (metric == null) {
                metric = resultMetric(many.labels(i), one.labels(j), op, matching);
                if (returnBool) {
                    metric = metric.withoutMetricName();
                }
                resultLabels.put(pair, metric);
            }
            boolean exists = matched.containsKey(sig);
            if (matching.cardinality() == Cardinality.ONE_TO_ONE) {
                if (exists) {
                    throw new PromQLException.EvalException(
                            "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
                }
                matched.put(sig, null);
            } else {
                Set<Labels> inserted = matched.computeIfAbsent(sig, s -> new HashSet<>());
                if (!inserted.add(metric)) {
                    throw new PromQLException.EvalException("multiple matches for labels: grouping labels must ensure unique matches");
                }
            }
            out.add(metric, value);
        }
    }

    private static Labels matchedLabels(Labels l, VectorMatching matching) {
        Labels.Builder b = l.builder();
        if (matching.on()) {
            b.keep(matching.matchingLabels());
        } else {
            b.del(matching.matchingLabels().toArray(new String[0]));
            b.del(Labels.METRIC_NAME);
        }
        return b.build();
    }

    /** Labels of a result element: from the "many" side, narrowed for one-to-one, plus group_x labels from the "one" side. */
    private static Labels resultMetric(Labels many, Labels one, BinaryOp op, VectorMatching matching) {
        Labels.Builder b = many.builder();
        if (dropsName(op)) {
            b.del(Labels.METRIC_NAME);
        }
        if (matching.cardinality() == Cardinality.ONE_TO_ONE) {
            if (matching.on()) {
                b.keep(matching.matchingLabels());
            } else {
                b.del(matching.matchingLabels().toArray(new String[0]));
            }
        }
        for (String name : matching.include()) {
            b.set(name, one.get(name));
        }
        return b.build();
    }
}

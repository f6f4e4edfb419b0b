package dev.sandglass.query.functions;

import dev.sandglass.query.engine.StepVector;
import dev.sandglass.storage.api.Labels;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/** Instant functions that are not one-line math: clamp, round, scalar/vector, absent, sort, histogram_quantile. */
final class MiscFunctions {
    private MiscFunctions() {
    }

    static InstantFunction elementwise(DoubleUnaryOperator f) {
        return (call, out) -> {
            StepVector in = call.vectors[0];
            for (int i = 0; i < in.size(); i++) {
                out.add(call.outLabels(in.labels(i)), f.applyAsDouble(in.value(i)));
            }
        };
    }

    static double sgn(double v) {
        return v < 0 ? -1 : v > 0 ? 1 : v;
    }

    static void clamp(InstantCall call, StepVector out) {
        double min = call.scalars[1];
        double max = call.scalars[2];
        if (max < min) {
            return;
        }
        StepVector in = call.vectors[0];
        for (int i = 0; i < in.size(); i++) {
            out.add(call.outLabels(in.labels(i)), goMax(min, goMin(max, in.value(i))));
        }
    }

    static void clampMin(InstantCall call, StepVector out) {
        double min = call.scalars[1];
        StepVector in = call.vectors[0];
        for (int i = 0; i < in.size(); i++) {
            out.add(call.outLabels(in.labels(i)), goMax(min, in.value(i)));
        }
    }

    static void clampMax(InstantCall call, StepVector out) {
        double max = call.scalars[1];
        StepVector in = call.vectors[0];
        for (int i = 0; i < in.size(); i++) {
            out.add(call.outLabels(in.labels(i)), goMin(max, in.value(i)));
        }
    }

    /** Go's math.Max and Min: NaN wins; they agree with Java's on signed zeros. */
    private static double goMax(double a, double b) {
        return Math.max(a, b);
    }

    private static double goMin(double a, double b) {
        return Math.min(a, b);
    }

    /** Ties round up; multiplying by the inverse of to_nearest rounds better than dividing (Prometheus). */
    static void round(InstantCall call, StepVector out) {
        double toNearest = call.args.size() >= 2 ? call.scalars[1] : 1;
        double inverse = 1.0 / toNearest;
        StepVector in = call.vectors[0];
        for (int i = 0; i < in.size(); i++) {
            out.add(call.outLabels(in.labels(i)), Math.floor(in.value(i) * inverse + 0.5) / inverse);
        }
    }

    /** A function of native histograms: every float element is skipped, so the result is empty. */
    static void nativeHistogramsOnly(InstantCall call, StepVector out) {
    }

    static void scalar(InstantCall call, StepVector out) {
        StepVector in = call.vectors[0];
        out.add(Labels.EMPTY, in.size() == 1 ? in.value(0) : Double.NaN);
    }

    static void vector(InstantCall call, StepVector out) {
        out.add(Labels.EMPTY, call.scalars[0]);
    }

    static void time(InstantCall call, StepVector out) {
        out.add(Labels.EMPTY, call.timeMs / 1000.0);
    }

    static void pi(InstantCall call, StepVector out) {
        out.add(Labels.EMPTY, Math.PI);
    }

    /** Of a selector: each sample's own time (the evaluator passes them); of any other expression: the step's time. */
    static void timestamp(InstantCall call, StepVector out) {
        StepVector in = call.vectors[0];
        for (int i = 0; i < in.size(); i++) {
            double t = call.sampleTimestamps ? in.value(i) / 1000.0 : call.timeMs / 1000.0;
            out.add(call.outLabels(in.labels(i)), t);
        }
    }

    static void absent(InstantCall call, StepVector out) {
        if (call.vectors[0].size() > 0) {
            return;
        }
        Labels l = (Labels) call.state;
        if (l == null) {
            l = AbsentLabels.of(call.args.get(0));
            call.state = l;
        }
        out.add(l, 1);
    }

    static void sortAscending(InstantCall call, StepVector out) {
        sortInto(call.vectors[0], out, false);
    }

    static void sortDescending(InstantCall call, StepVector out) {
        sortInto(call.vectors[0], out, true);
    }

    /** NaN goes last either way, as in Prometheus. A stable sort keeps equal values in input order. */
    private static void sortInto(StepVector in, StepVector out, boolean descending) {
        Integer[] order = new Integer[in.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> ValueOrder.compare(in.value(a), in.value(b), descending));
        for (Integer i : order) {
            out.add(in.labels(i), in.value(i), in.source(i));
        }
    }

    private static final class Buckets {
        final Labels labels;
        double[] bounds = new double[8];
        double[] counts = new double[8];
        int n;

        Buckets(Labels labels) {
            this.labels = labels;
        }

        void add(double bound, double count) {
            if (n == bounds.length) {
                bounds = Arrays.copyOf(bounds, n * 2);
                counts = Arrays.copyOf(counts, n * 2);
            }
            bounds[n] = bound;
            counts[n] = count;
            n++;
        }
    }

    /**
     * histogram_quantile over classic buckets: elements are grouped by their labels without
     * {@code le} (the name stays in the key, so two histograms of different names are two groups
     * that may collide once the name is dropped); elements without a parsable {@code le} are skipped.
     */
    static void histogramQuantile(InstantCall call, StepVector out) {
        double q = call.scalars[0];
        StepVector in = call.vectors[1];
        Map<Labels, Buckets> groups = new LinkedHashMap<>();
        for (int i = 0; i < in.size(); i++) {
            Labels l = in.labels(i);
            double bound;
            try {
                bound = GoFloat.parse(l.get("le"));
            } catch (NumberFormatException e) {
                continue;
            }
            Labels key = l.builder().del("le").build();
            Buckets b = groups.get(key);
            if (b == null) {
                b = new Buckets(key.withoutMetricName());
                groups.put(key, b);
            }
            b.add(bound, in.value(i));
        }
        for (Buckets b : groups.values()) {
            out.add(b.labels, Quantiles.bucketQuantile(q, b.bounds, b.counts, b.n));
        }
    }
}

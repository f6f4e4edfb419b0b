package dev.sandglass.query.functions;

import dev.sandglass.query.ast.Expr;
import dev.sandglass.query.engine.StepVector;
import dev.sandglass.storage.api.Labels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of one call of an instant function at one step. The evaluator fills the slots by
 * argument position (vector, scalar or string) and reuses the object across steps, so a function
 * may keep per-call state (a compiled regex, a label cache) in {@link #state}.
 */
public final class InstantCall {
    public final List<Expr> args;
    public final StepVector[] vectors;
    public final double[] scalars;
    public final String[] strings;
    /** Evaluation time of the step, unix ms. */
    public long timeMs;
    /** True when vectors[0] holds sample timestamps (ms) instead of values (timestamp() of a selector). */
    public boolean sampleTimestamps;
    public Object state;
    private final boolean dropsMetricName;
    private final Map<Labels, Labels> outLabels = new HashMap<>();

    public InstantCall(List<Expr> args, boolean dropsMetricName) {
        this.args = args;
        this.dropsMetricName = dropsMetricName;
        int n = args.size();
        this.vectors = new StepVector[n];
        this.scalars = new double[n];
        this.strings = new String[n];
    }

    /** The labels of an output element made from an input element: without the name when the function drops it. */
    public Labels outLabels(Labels in) {
        if (!dropsMetricName || !in.has(Labels.METRIC_NAME)) {
            return in;
        }
        Labels out = outLabels.get(in);
        if (out == null) {
            out = in.withoutMetricName();
            outLabels.put(in, out);
        }
        return out;
    }
}

package dev.sandglass.query.engine;

import java.util.List;

/**
 * What topk or bottomk will do with its argument's values: keep, per step and group, the
 * {@code k} highest ({@code top}) or lowest. Lets the argument skip exact values that cannot
 * make it into any group's {@code k}.
 */
record Ranking(StepMatrix param, boolean top, List<String> grouping, boolean without) {
    /** {@code k} at a step, or -1 when the parameter is not a usable count (the aggregation reports that itself). */
    long k(int step) {
        double p = param.series.get(0).value(step);
        if (!(p <= Aggregations.MAX_INT64 && p >= 1)) {
            return -1;
        }
        return (long) p;
    }
}

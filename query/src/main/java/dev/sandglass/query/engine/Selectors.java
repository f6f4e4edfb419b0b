package dev.sandglass.query.engine;

import dev.sandglass.query.ast.MatrixSelector;
import dev.sandglass.query.ast.VectorSelector;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
import dev.sandglass.storage.util.Parallel;
import java.util.ArrayList;
import java.util.List;

/**
 * Vector and matrix selectors. Each series is selected once for the whole evaluation and its
 * sample arrays walked with a moving index from step to step, never re-read per step.
 */
final class Selectors {
    private Selectors() {
    }

    /**
     * At each step, the latest sample at or before {@code t - offset} (t being the step's time or
     * the {@code @} time) and no older than the lookback delta; a staleness marker there means no
     * value. With {@code sampleTimestamps} the value is the sample's timestamp (for timestamp()).
     */
    static StepMatrix instantVector(Evaluator ev, VectorSelector vs, boolean sampleTimestamps) {
        List<Series> selected = ev.ctx.rollups() != null
                ? ev.ctx.rollups().select(vs.matchers(), RollupView.Aggregate.MEAN, RollupView.FIVE_MINUTES_MS, null)
                : ev.ctx.querier().selectLazily(vs.matchers());
        Long at = ev.resolveAt(vs.at());
        long lookback = ev.ctx.options.lookbackMs();
        int count = selected.size();
        ev.ctx.allocateCells((long) count * ev.steps);
        StepSeries[] results = new StepSeries[count];
        // Each thread reads its series into one reused buffer and walks it at once, while cached.
        java.util.concurrent.atomic.AtomicLong built = new java.util.concurrent.atomic.AtomicLong();
        Parallel.forEach(count, Samples::new, (buffer, i) -> {
            StepSeries ss = atSteps(ev, vs, selected.get(i).labels(), selected.get(i).samples(buffer), at, lookback, sampleTimestamps);
            if (ss != null) {
                ev.ctx.countBuilt(built, ss.count());
            }
            results[i] = ss;
        });
        List<StepSeries> out = new ArrayList<>(count);
        for (StepSeries ss : results) {
            if (ss != null && ss.count() > 0) {
                ev.ctx.addSamples(ss.count());
                out.add(ss);
            }
        }
        return new StepMatrix(out, ev.steps);
    }

    /** One series' value at every step, or null when it has no samples; runs concurrently with other series. */
    private static StepSeries atSteps(Evaluator ev, VectorSelector vs, Labels labels, Samples s, Long at, long lookback, boolean sampleTimestamps) {
        ev.ctx.checkDeadline("selecting series");
        long[] ts = s.timestamps();
        double[] vs2 = s.values();
        int n = s.size();
        if (n == 0) {
            return null;
        }
        StepSeries ss = new StepSeries(labels, ev.steps);
        int next = 0;
        for (int step = 0; step < ev.steps; step++) {
            if ((step & 1023) == 1023) {
                ev.ctx.checkDeadline("selecting series");
            }
            long ref = (at != null ? at : ev.time(step)) - vs.offsetMs();
            if (at != null && step > 0) {
                // Same reference time at every step: copy the first step's answer.
                if (ss.has(0)) {
                    ss.set(step, ss.value(0));
                }
                continue;
            }
            next = Samples.seek(ts, n, next, ref, true);
            int last = next - 1;
            if (last < 0 || ts[last] < ref - lookback || Values.isStaleNaN(vs2[last])) {
                continue;
            }
            ss.set(step, sampleTimestamps ? (double) ts[last] : vs2[last]);
        }
        return ss;
    }

    /** The series of a matrix selector, read when their consumer asks (see {@link RangeVector}). */
    static RangeVector rangeVector(Evaluator ev, MatrixSelector ms) {
        VectorSelector vs = ms.vector();
        List<Series> selected = ev.ctx.rollups() != null
                ? ev.ctx.rollups().select(vs.matchers(), RollupView.Aggregate.MEAN, RollupView.resolutionFor(ms.rangeMs()), null)
                : ev.ctx.querier().selectLazily(vs.matchers());
        return RangeVector.stored(selected, ms.rangeMs(), vs.offsetMs(), ev.resolveAt(vs.at()));
    }

    /** A matrix selector read past raw retention as {@code agg} points of the rollups (for {@code function}). */
    static RangeVector rollupRangeVector(Evaluator ev, MatrixSelector ms, RollupView.Aggregate agg, String function) {
        VectorSelector vs = ms.vector();
        List<Series> selected = ev.ctx.rollups().select(vs.matchers(), agg, RollupView.resolutionFor(ms.rangeMs()), function);
        return RangeVector.stored(selected, ms.rangeMs(), vs.offsetMs(), ev.resolveAt(vs.at()));
    }
}

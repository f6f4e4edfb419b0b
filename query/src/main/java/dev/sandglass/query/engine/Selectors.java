package dev.sandglass.query.engine;

import dev.sandglass.query.ast.MatrixSelector;
import dev.sandglass.query.ast.VectorSelector;
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
        List<Series> selected = ev.ctx.querier().select(vs.matchers());
        Long at = ev.resolveAt(vs.at());
        long lookback = ev.ctx.options.lookbackMs();
        int count = selected.size();
        ev.ctx.allocateCells((long) count * ev.steps);
        StepSeries[] results = new StepSeries[count];
        Parallel.forEach(count, i -> results[i] = atSteps(ev, vs, selected.get(i), at, lookback, sampleTimestamps));
        List<StepSeries> out = new ArrayList<>(count);
        for (StepSeries ss : results) {
            if (ss.count() > 0) {
                ev.ctx.addSamples(ss.count());
                out.add(ss);
            }
        }
        return new StepMatrix(out, ev.steps);
    }

    /** One series' value at every step; runs concurrently with other series. */
    private static StepSeries atSteps(Evaluator ev, VectorSelector vs, Series series, Long at, long lookback, boolean sampleTimestamps) {
        ev.ctx.checkDeadline("selecting series");
        Samples s = series.samples();
        long[] ts = s.timestamps();
        double[] vs2 = s.values();
        int n = s.size();
        StepSeries ss = new StepSeries(series.labels(), ev.steps);
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

    /** The samples of each selected series without staleness markers (range vectors ignore them). */
    static RangeVector rangeVector(Evaluator ev, MatrixSelector ms) {
        VectorSelector vs = ms.vector();
        List<Series> selected = ev.ctx.querier().select(vs.matchers());
        RawSeries[] out = new RawSeries[selected.size()];
        Parallel.forEach(out.length, i -> {
            ev.ctx.checkDeadline("selecting series");
            out[i] = withoutStale(selected.get(i), selected.get(i).samples());
        });
        return new RangeVector(java.util.Arrays.asList(out), ms.rangeMs(), vs.offsetMs(), ev.resolveAt(vs.at()));
    }

    private static RawSeries withoutStale(Series series, Samples s) {
        long[] ts = s.timestamps();
        double[] v = s.values();
        int n = s.size();
        int stale = 0;
        for (int i = 0; i < n; i++) {
            if (Values.isStaleNaN(v[i])) {
                stale++;
            }
        }
        if (stale == 0) {
            return new RawSeries(series.labels(), ts, v, n);
        }
        long[] t2 = new long[n - stale];
        double[] v2 = new double[n - stale];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (!Values.isStaleNaN(v[i])) {
                t2[k] = ts[i];
                v2[k] = v[i];
                k++;
            }
        }
        return new RawSeries(series.labels(), t2, v2, k);
    }
}

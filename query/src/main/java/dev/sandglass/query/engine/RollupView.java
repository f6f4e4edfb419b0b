package dev.sandglass.query.engine;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.RollupSeries;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Series for a query whose range reaches past raw retention: before the split point (raw start
 * rounded up to the resolution) each rollup window becomes points of the aggregate the consuming
 * function needs, as Thanos answers from downsampled data; from the split point on, the raw
 * samples, unchanged. Rules in the README ("PromQL past raw retention"). Records what it used,
 * for the response's warning.
 */
final class RollupView {
    static final long FIVE_MINUTES_MS = 5 * 60_000L;
    static final long HOUR_MS = 3_600_000L;

    /** Which rollup figure becomes the points a function reads. */
    enum Aggregate {
        MAX("each window's max"), MIN("each window's min"), SUM("each window's sum"), COUNT("each window's count"),
        COUNTER("the counter rebuilt from each window's first and last value and resets"), MEAN("each window's mean"),
        CHANGES("each window's count of changes"), RESETS("each window's count of resets");

        final String what;

        Aggregate(String what) {
            this.what = what;
        }
    }

    private final Querier querier;
    private final long rawStartMs;
    private final long minT;
    private final long maxT;
    private final TreeSet<String> used = new TreeSet<>();

    RollupView(Querier querier, long rawStartMs, long minT, long maxT) {
        this.querier = querier;
        this.rawStartMs = rawStartMs;
        this.minT = minT;
        this.maxT = maxT;
    }

    /** 1h windows for ranges of whole hours from 6h up, 5m otherwise (and for instant selectors). */
    static long resolutionFor(long rangeMs) {
        return rangeMs >= 6 * HOUR_MS && rangeMs % HOUR_MS == 0 ? HOUR_MS : FIVE_MINUTES_MS;
    }

    /** The series matching {@code matchers}: rollup points of {@code agg} before the split, raw samples after. */
    synchronized List<Series> select(List<Matcher> matchers, Aggregate agg, long resolutionMs, String function) {
        // The first window boundary at or after rawStartMs (no overflow for a querier whose raw
        // data starts at the end of time).
        long split = rawStartMs > Long.MAX_VALUE - resolutionMs ? Long.MAX_VALUE
                : Math.floorDiv(rawStartMs + resolutionMs - 1, resolutionMs) * resolutionMs;
        Map<Labels, RollupSeries> rolled = new TreeMap<>();
        if (minT < split) {
            for (RollupSeries r : querier.selectRollups(matchers, resolutionMs, minT, split - 1)) {
                rolled.put(r.labels(), r);
            }
        }
        Map<Labels, Series> raw = new TreeMap<>();
        if (maxT >= split) {
            for (Series s : querier.selectLazily(matchers)) {
                raw.put(s.labels(), s);
            }
        }
        TreeSet<Labels> all = new TreeSet<>(rolled.keySet());
        all.addAll(raw.keySet());
        List<Series> out = new ArrayList<>(all.size());
        for (Labels l : all) {
            out.add(new Spliced(l, rolled.get(l), raw.get(l), split, agg));
        }
        if (!rolled.isEmpty()) {
            used.add((resolutionMs == HOUR_MS ? "1h" : "5m") + " rollups (" + (function == null ? "selector" : function) + " from "
                    + agg.what + ")");
        }
        return out;
    }

    /**
     * One series: rollup points before the split, raw samples from it on, read when asked for
     * (by whichever thread evaluates the series, as raw series are).
     */
    private static final class Spliced implements Series {
        private final Labels labels;
        private final RollupSeries rolled;
        private final Series raw;
        private final long split;
        private final Aggregate agg;

        Spliced(Labels labels, RollupSeries rolled, Series raw, long split, Aggregate agg) {
            this.labels = labels;
            this.rolled = rolled;
            this.raw = raw;
            this.split = split;
            this.agg = agg;
        }

        @Override
        public Labels labels() {
            return labels;
        }

        @Override
        public Samples samples() {
            return samples(null);
        }

        @Override
        public Samples samples(Samples reuse) {
            Samples rs = raw == null ? null : raw.samples();
            int n = (rolled == null ? 0 : 2 * rolled.size()) + (rs == null ? 0 : rs.size()) + 16;
            Samples s = reuse != null ? reuse.reset(n) : new Samples(n);
            if (rolled != null) {
                points(rolled, split, agg, s);
            }
            if (rs != null) {
                int from = s.size();
                s.addAll(rs.timestamps(), rs.values(), rs.lowerBound(split), rs.size());
                if (agg == Aggregate.COUNT) {
                    double[] v = s.values();
                    for (int i = from; i < s.size(); i++) {
                        if (!Values.isStaleNaN(v[i])) {
                            v[i] = 1.0;
                        }
                    }
                } else if (agg == Aggregate.CHANGES || agg == Aggregate.RESETS) {
                    int w = rolled == null ? 0 : RollupCounts.before(rolled, split);
                    RollupCounts.continueRaw(s, from, agg == Aggregate.RESETS, w > 0 ? rolled.last()[w - 1] : Double.NaN, w > 0);
                }
            }
            return s;
        }
    }

    /** The points of windows starting before {@code split}. */
    private static void points(RollupSeries r, long split, Aggregate agg, Samples out) {
        int n = 0;
        while (n < r.size() && r.windowStart()[n] < split) {
            n++;
        }
        if (agg == Aggregate.COUNTER) {
            counter(r, n, out);
            return;
        }
        if (agg == Aggregate.CHANGES || agg == Aggregate.RESETS) {
            RollupCounts.points(r, n, agg == Aggregate.RESETS, out);
            return;
        }
        for (int k = 0; k < n; k++) {
            switch (agg) {
                case MAX -> out.add(r.lastT()[k], r.max()[k]);
                case MIN -> out.add(r.lastT()[k], r.min()[k]);
                case SUM -> out.add(r.lastT()[k], r.sum()[k]);
                case COUNT -> out.add(r.lastT()[k], r.count()[k]);
                // At the window's start, so a step anywhere in a window finds it within the lookback.
                default -> out.add(r.windowStart()[k], r.mean(k));
            }
        }
    }

    /**
     * A reset-free counter at each window's first and last sample, counted back from the last
     * window's real last value, so raw samples after the split continue it without a false reset.
     */
    private static void counter(RollupSeries r, int n, Samples out) {
        double[] firstV = new double[n];
        double[] lastV = new double[n];
        double c = n > 0 ? r.last()[n - 1] : 0;
        for (int k = n - 1; k >= 0; k--) {
            lastV[k] = c;
            firstV[k] = c - r.increase(k);
            if (k > 0) {
                c = firstV[k] - (r.first()[k] - r.last()[k - 1] + r.seamCorrection(k));
            }
        }
        for (int k = 0; k < n; k++) {
            if (r.firstT()[k] != r.lastT()[k]) {
                out.add(r.firstT()[k], firstV[k]);
            }
            out.add(r.lastT()[k], lastV[k]);
        }
    }

    /** The response's warning, or null when no rollup was read. */
    synchronized String warning() {
        if (used.isEmpty()) {
            return null;
        }
        return "data before " + Instant.ofEpochMilli(rawStartMs) + " is past raw retention: answered there from "
                + String.join(", ", used) + "; raw samples from then on";
    }
}

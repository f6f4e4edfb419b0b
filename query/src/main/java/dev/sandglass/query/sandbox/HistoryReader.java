package dev.sandglass.query.sandbox;

import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Queryable;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * One sandbox's history, as platforms' {@code getMetrics(start, end)} returns it: a list of points,
 * raw or one per step, with counters cumulative and as per-second rates that a restart (a new
 * run in the run records, or a counter going down) never makes negative, and gaps and restarts
 * listed. Works from the store alone, so it keeps working after the sandbox stopped.
 */
public final class HistoryReader {
    private static final SandboxField[] FIELDS = SandboxField.all();
    private static final SandboxField[] COUNTERS = java.util.Arrays.stream(FIELDS).filter(SandboxField::counter).toArray(SandboxField[]::new);

    private final Queryable store;
    private final long maxPoints;
    private final long maxRawPoints;

    /** {@code maxPoints}: the most points per answer, raw or stepped. */
    public HistoryReader(Queryable store, long maxPoints) {
        this(store, maxPoints, maxPoints);
    }

    /**
     * {@code maxPoints}: the most points of a stepped answer (the resolution limit, as Prometheus's
     * 11,000); {@code maxRawPoints}: the most samples of a raw answer (no step), which holds what
     * is stored and is bounded by size rather than resolution.
     */
    public HistoryReader(Queryable store, long maxPoints, long maxRawPoints) {
        this.store = store;
        this.maxPoints = maxPoints;
        this.maxRawPoints = maxRawPoints;
    }

    /**
     * {@code startMs} null: from the sandbox's first stored sample. {@code stepMs} 0: raw samples.
     * @throws UnknownSandboxException when no sample of it is in the range
     * @throws TooManyPointsException when a stepped answer would exceed the points allowed per
     *     series, or a raw one the samples allowed per answer
     */
    public SandboxHistory read(String name, Long startMs, long endMs, long stepMs) {
        long from = startMs == null ? Long.MIN_VALUE / 2 : startMs;
        try (Querier q = store.querier(from, endMs)) {
            Set<String> only = Set.of(name);
            Timeline presence = Timeline.of(q.select(SandboxViews.matchers(SandboxField.PRESENCE.metric(), only)));
            int n = presence.size;
            if (n == 0) {
                throw new UnknownSandboxException(name, startMs == null ? "no sample of it is stored up to the end asked for"
                        : "no sample of it is stored between start and end");
            }
            long start = startMs == null ? presence.ts[0] : startMs;
            long points = stepMs > 0 ? (endMs - start) / stepMs + 1 : n;
            long fit = Math.max(1000, ((endMs - start) / (maxPoints - 1) + 999) / 1000 * 1000);
            if (stepMs > 0 && points > maxPoints) {
                throw new TooManyPointsException(points, maxPoints, fit);
            }
            if (stepMs == 0 && points > maxRawPoints) {
                throw TooManyPointsException.raw(points, maxRawPoints, fit);
            }
            long[] ts = presence.ts;
            double[][] values = new double[FIELDS.length][];
            for (SandboxField f : FIELDS) {
                values[f.ordinal()] = Timeline.of(q.select(SandboxViews.matchers(f.metric(), only))).alignTo(ts, n, f);
            }
            String sandboxId = null;
            for (Series s : q.selectLazily(SandboxViews.matchers(SandboxField.PRESENCE.metric(), only))) {
                sandboxId = s.labels().get("sandbox_id");
            }
            String[] runs = runs(q.select(SandboxViews.matchers(SandboxField.RUN_INFO, only)), ts, n);
            long interval = interval(ts, n);
            List<SandboxHistory.Gap> gaps = new ArrayList<>();
            List<SandboxHistory.Restart> restarts = new ArrayList<>();
            for (int i = 1; i < n; i++) {
                if (interval > 0 && ts[i] - ts[i - 1] > 2 * interval) {
                    gaps.add(new SandboxHistory.Gap(ts[i - 1], ts[i]));
                }
                if (runs[i] != null && runs[i - 1] != null && !runs[i].equals(runs[i - 1])) {
                    restarts.add(new SandboxHistory.Restart(ts[i - 1], ts[i], runs[i - 1], runs[i]));
                }
            }
            Counters counters = new Counters(ts, n, values, runs);
            HistoryPoints out = stepMs > 0 ? stepped(name, sandboxId, start, endMs, stepMs, interval, ts, n, values, runs, counters)
                    : raw(name, sandboxId, ts, n, values, runs, counters);
            return new SandboxHistory(name, start, endMs, stepMs, interval, out, gaps, restarts);
        }
    }

    private static HistoryPoints raw(String name, String id, long[] ts, int n, double[][] values, String[] runs, Counters c) {
        double[][] rates = new double[FIELDS.length][];
        for (SandboxField f : COUNTERS) {
            double[] r = new double[n];
            for (int i = 0; i < n; i++) {
                r[i] = c.rate(f, i, i - 1);
            }
            rates[f.ordinal()] = r;
        }
        return new HistoryPoints(name, id, n, ts, null, values, runs, rates);
    }

    /** One point per step: the last sample at or before the step time, if one is recent enough (within the step, or two intervals). */
    private static HistoryPoints stepped(String name, String id, long start, long end, long step, long interval,
                                         long[] ts, int n, double[][] values, String[] runs, Counters c) {
        long lookback = Math.max(step, 2 * interval);
        int max = (int) Math.min(Integer.MAX_VALUE - 8, (end - start) / step + 1);
        long[] at = new long[Math.min(max, 1024)];
        int[] sample = new int[at.length];
        int[] before = new int[at.length];
        int m = 0;
        int i = -1;
        for (long t = start; t <= end; t += step) {
            while (i + 1 < n && ts[i + 1] <= t) {
                i++;
            }
            if (i < 0 || ts[i] <= t - lookback) {
                continue;
            }
            int j = Arrays.binarySearch(ts, 0, n, t - step);
            j = j >= 0 ? j : -j - 2;
            if (m == at.length) {
                at = Arrays.copyOf(at, Math.min(max, 2 * m));
                sample = Arrays.copyOf(sample, at.length);
                before = Arrays.copyOf(before, at.length);
            }
            at[m] = t;
            sample[m] = i;
            before[m++] = j < i ? j : -1;
        }
        double[][] rates = new double[FIELDS.length][];
        for (SandboxField f : COUNTERS) {
            double[] r = new double[m];
            for (int k = 0; k < m; k++) {
                r[k] = c.rate(f, sample[k], before[k]);
            }
            rates[f.ordinal()] = r;
        }
        return new HistoryPoints(name, id, m, at, sample, values, runs, rates);
    }

    /** The run id at each timestamp, from the run info series (one per run), or null where none is stored. */
    static String[] runs(List<Series> runInfo, long[] ts, int n) {
        String[] out = new String[n];
        for (Series s : runInfo) {
            String run = s.labels().get("run_id");
            var samples = s.samples();
            // Both in time order: one walk instead of a search per sample.
            int i = 0;
            for (int k = 0; k < samples.size(); k++) {
                long t = samples.timestamp(k);
                while (i < n && ts[i] < t) {
                    i++;
                }
                if (i == n) {
                    break;
                }
                if (ts[i] == t && !Values.isStaleNaN(samples.value(k))) {
                    out[i] = run;
                }
            }
        }
        return out;
    }

    /** The median spacing of the first thousand samples: the collection interval. */
    static long interval(long[] ts, int n) {
        int m = Math.min(n - 1, 1000);
        if (m < 1) {
            return 0;
        }
        long[] d = new long[m];
        for (int i = 0; i < m; i++) {
            d[i] = ts[i + 1] - ts[i];
        }
        Arrays.sort(d);
        return d[m / 2];
    }

    /**
     * Counters made monotonic across resets: each sample adds its increase over the previous one,
     * or its whole value where the run changed or the value went down (the counter began again).
     */
    static final class Counters {
        private final long[] ts;
        private final double[][] adjusted = new double[FIELDS.length][];
        /** Per counter, the index of the last sample at or before i that has the field (-1: none). */
        private final int[][] lastValid = new int[FIELDS.length][];

        Counters(long[] ts, int n, double[][] values, String[] runs) {
            this.ts = ts;
            for (SandboxField f : COUNTERS) {
                double[] v = values[f.ordinal()];
                double[] adj = new double[n];
                int[] last = new int[n];
                int prev = -1;
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    if (!Double.isNaN(v[i])) {
                        boolean reset = prev < 0 || v[i] < v[prev] || (runs[i] != null && runs[prev] != null && !runs[i].equals(runs[prev]));
                        sum += prev < 0 ? 0 : reset ? v[i] : v[i] - v[prev];
                        prev = i;
                    }
                    adj[i] = sum;
                    last[i] = prev;
                }
                adjusted[f.ordinal()] = adj;
                lastValid[f.ordinal()] = last;
            }
        }

        /** Counter f's per-second rate from sample j to sample i (NaN when j < 0 or the field is missing at i). */
        double rate(SandboxField f, int i, int j) {
            if (j < 0) {
                return Double.NaN;
            }
            int[] last = lastValid[f.ordinal()];
            int a = last[i];
            int b = last[j];
            if (a == i && b >= 0 && ts[i] > ts[b]) {
                return (adjusted[f.ordinal()][i] - adjusted[f.ordinal()][b]) / ((ts[i] - ts[b]) / 1000.0);
            }
            return Double.NaN;
        }
    }
}

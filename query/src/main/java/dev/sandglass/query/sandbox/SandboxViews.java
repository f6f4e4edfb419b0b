package dev.sandglass.query.sandbox;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Queryable;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Latest points of sandboxes, read through the same {@link Queryable} as PromQL: no copy of the
 * data is kept. A sandbox is seen when its uptime series has a sample; its latest point is every
 * field's sample at that same time (all fields of one registry sample share its timestamp), so a
 * field the sandbox did not report is absent, never an older value.
 *
 * <p>Running sandboxes are found in a short recent window (cheap: the head); the rest are looked
 * for in windows growing fourfold up to {@code since}, so an old stopped sandbox costs a few
 * narrow reads, not its whole history.
 */
public final class SandboxViews {
    /** Not seen for this long without a staleness marker (e.g. Sandglass was down): stopped. */
    public static final long STOPPED_AFTER_MS = 5 * 60_000L;
    /** The default recent window: several collections at the default 1 s interval. */
    public static final long DEFAULT_RECENT_MS = 10_000L;

    private final Queryable store;
    private final long recentMs;
    private final LatestCache cache = new LatestCache();

    public SandboxViews(Queryable store) {
        this(store, DEFAULT_RECENT_MS);
    }

    /** {@code recentMs}: a window that holds the last sample of every running sandbox (a few collection intervals). */
    public SandboxViews(Queryable store, long recentMs) {
        this.store = store;
        this.recentMs = Math.max(1000, recentMs);
    }

    public Queryable store() {
        return store;
    }

    /** Every sandbox seen in [now - sinceMs, now], sorted by name. */
    public List<SandboxStatus> fleet(long nowMs, long sinceMs) {
        return new ArrayList<>(latest(null, nowMs, sinceMs).values());
    }

    /** One sandbox's latest point, however long ago it was seen. @throws UnknownSandboxException */
    public SandboxStatus sandbox(String name, long nowMs) {
        SandboxStatus s = latest(Set.of(name), nowMs, Long.MAX_VALUE / 4).get(name);
        if (s == null) {
            throw new UnknownSandboxException(name, "no sample of it is stored");
        }
        return s;
    }

    /**
     * Statuses of the named sandboxes (all when {@code names} is null) seen in [now - sinceMs, now],
     * by name. One pass over the store for all of them, however many are named; for more than one,
     * the fleet-wide answer is reused until the store changes (see {@link LatestCache}).
     */
    public Map<String, SandboxStatus> latest(Set<String> names, long nowMs, long sinceMs) {
        if (names != null && names.size() == 1) {
            return compute(names, nowMs, sinceMs, null);
        }
        long oldest = oldest(nowMs, sinceMs);
        LatestCache.Stamp stamp = LatestCache.Stamp.of(store.querier(nowMs, nowMs));
        Map<String, SandboxStatus> cached = cache.get(stamp, names, nowMs, oldest);
        if (cached != null) {
            return cached;
        }
        if (stamp.changes() < 0) {
            return compute(names, nowMs, sinceMs, null);
        }
        Map<String, Boolean> endedStale = new HashMap<>();
        Map<String, SandboxStatus> all = Collections.unmodifiableMap(compute(null, nowMs, sinceMs, endedStale));
        cache.put(stamp, sinceMs, nowMs, oldest, all, endedStale);
        if (names == null) {
            return all;
        }
        Map<String, SandboxStatus> out = new TreeMap<>();
        for (String n : names) {
            SandboxStatus st = all.get(n);
            if (st != null) {
                out.put(n, st);
            }
        }
        return out;
    }

    private static long oldest(long nowMs, long sinceMs) {
        return sinceMs >= nowMs ? Long.MIN_VALUE / 2 : nowMs - sinceMs;
    }

    /** Running: not ended by a staleness marker and seen within {@link #STOPPED_AFTER_MS}. */
    static boolean running(boolean endedStale, long lastRealMs, long nowMs) {
        return !endedStale && lastRealMs >= nowMs - STOPPED_AFTER_MS;
    }

    /** {@link #latest} read from the store; records each sandbox's ended-by-marker flag in {@code endedStale} when not null. */
    private Map<String, SandboxStatus> compute(Set<String> names, long nowMs, long sinceMs, Map<String, Boolean> endedStale) {
        Map<String, Seen> seen = new HashMap<>();
        long from = nowMs - Math.min(recentMs, sinceMs);
        long oldest = oldest(nowMs, sinceMs);
        Map<String, SandboxStatus> out = new TreeMap<>();
        // Names whose series have samples in the store but not yet found in a window.
        Set<String> missing = null;
        Samples last;
        List<Samples> pool = new ArrayList<>();
        while (true) {
            try (Querier q = store.querier(from, nowMs)) {
                List<Series> presence = q.selectLazily(matchers(SandboxField.PRESENCE.metric(), names));
                Samples[] lasts = lastOfEach(q, presence, pool);
                Set<String> notFound = new java.util.HashSet<>();
                for (int i = 0; i < presence.size(); i++) {
                    Series s = presence.get(i);
                    last = lasts[i];
                    String name = s.labels().get(SandboxField.NAME_LABEL);
                    if (out.containsKey(name) || (names != null && !names.contains(name)) || (missing != null && !missing.contains(name))) {
                        continue;
                    }
                    Seen found = Seen.of(s, last);
                    if (found == null) {
                        notFound.add(name);
                        continue;
                    }
                    seen.merge(name, found, Seen::later);
                }
                notFound.removeAll(seen.keySet());
                List<String> done = new ArrayList<>();
                for (Map.Entry<String, Seen> e : seen.entrySet()) {
                    if (e.getValue().lastRealMs >= from) {
                        done.add(e.getKey());
                    } else {
                        // Only a staleness marker in this window: the last real sample is older.
                        notFound.add(e.getKey());
                    }
                }
                Map<String, Seen> ready = new HashMap<>();
                for (String n : done) {
                    ready.put(n, seen.remove(n));
                }
                if (!ready.isEmpty()) {
                    readPoints(q, ready, names != null && names.size() == 1 ? names : null, nowMs, out, pool);
                    if (endedStale != null) {
                        ready.forEach((n, s) -> endedStale.put(n, s.endedStale));
                    }
                }
                seen.clear();
                missing = notFound;
            }
            if (missing.isEmpty() || from <= oldest) {
                break;
            }
            long span = nowMs - from;
            from = span > (nowMs - oldest) / 4 ? oldest : nowMs - span * 4;
        }
        return out;
    }

    /** Reads every field at each sandbox's last-seen time and adds the statuses to {@code out}. */
    private void readPoints(Querier q, Map<String, Seen> ready, Set<String> filter, long nowMs, Map<String, SandboxStatus> out, List<Samples> pool) {
        for (Seen seen : ready.values()) {
            seen.values = SandboxPoint.absent();
        }
        for (SandboxField f : SandboxField.all()) {
            List<Series> selected = q.selectLazily(matchers(f.metric(), filter));
            Samples[] lasts = lastOfEach(q, selected, pool);
            for (int i = 0; i < selected.size(); i++) {
                Series s = selected.get(i);
                Seen at = ready.get(s.labels().get(SandboxField.NAME_LABEL));
                if (at != null) {
                    double v = valueAt(s, at.lastRealMs, lasts[i]);
                    if (!Double.isNaN(v)) {
                        at.values[f.ordinal()] = f.fromStored(v);
                    }
                }
            }
        }
        List<Series> runs = q.selectLazily(matchers(SandboxField.RUN_INFO, filter));
        Samples[] lasts = lastOfEach(q, runs, pool);
        for (int i = 0; i < runs.size(); i++) {
            Series s = runs.get(i);
            Seen at = ready.get(s.labels().get(SandboxField.NAME_LABEL));
            if (at != null && !Double.isNaN(valueAt(s, at.lastRealMs, lasts[i]))) {
                at.runId = s.labels().get("run_id");
            }
        }
        for (Map.Entry<String, Seen> e : ready.entrySet()) {
            Seen s = e.getValue();
            String name = e.getKey();
            boolean running = running(s.endedStale, s.lastRealMs, nowMs);
            SandboxPoint p = new SandboxPoint(name, s.lastRealMs, s.sandboxId, s.runId, s.values, null);
            out.put(name, new SandboxStatus(name, running, s.lastRealMs, p));
        }
    }

    /** The last sample of each series (empty when none), read in one go; buffers reused from {@code pool}. */
    private static Samples[] lastOfEach(Querier q, List<Series> series, List<Samples> pool) {
        while (pool.size() < series.size()) {
            pool.add(new Samples(2));
        }
        Samples[] out = pool.subList(0, series.size()).toArray(new Samples[0]);
        q.lastOfEach(series, out);
        return out;
    }

    /** The series' non-stale value at exactly {@code t}, or NaN, given its {@code last} sample: reads it all only when that is after t. */
    static double valueAt(Series s, long t, Samples last) {
        if (last.size() == 0 || last.timestamp(0) < t) {
            return Double.NaN;
        }
        if (last.timestamp(0) == t) {
            return Values.isStaleNaN(last.value(0)) ? Double.NaN : last.value(0);
        }
        return valueAt(s.samples(), t);
    }

    /** The non-stale value at exactly {@code t}, or NaN. */
    static double valueAt(Samples s, long t) {
        int i = s.lowerBound(t);
        if (i < s.size() && s.timestamp(i) == t && !Values.isStaleNaN(s.value(i))) {
            return s.value(i);
        }
        return Double.NaN;
    }

    static List<Matcher> matchers(String metric, Collection<String> names) {
        List<Matcher> ms = new ArrayList<>(2);
        ms.add(Matcher.eq(Labels.METRIC_NAME, metric));
        if (names != null && names.size() == 1) {
            ms.add(Matcher.eq(SandboxField.NAME_LABEL, names.iterator().next()));
        }
        return ms;
    }

    /** What one presence series says about when its sandbox was last seen. */
    private static final class Seen {
        final long lastMs;
        final long lastRealMs;
        final boolean endedStale;
        final String sandboxId;
        /** Filled when the point is read. */
        double[] values;
        String runId;

        Seen(long lastMs, long lastRealMs, boolean endedStale, String sandboxId) {
            this.lastMs = lastMs;
            this.lastRealMs = lastRealMs;
            this.endedStale = endedStale;
            this.sandboxId = sandboxId;
        }

        /** Null when the series has no sample in the window; reads the whole window only when it ends with a staleness marker. */
        static Seen of(Series series, Samples last) {
            if (last.size() == 0) {
                return null;
            }
            String id = series.labels().get("sandbox_id");
            if (!Values.isStaleNaN(last.value(0))) {
                return new Seen(last.timestamp(0), last.timestamp(0), false, id);
            }
            Samples s = series.samples();
            int n = s.size();
            if (n == 0) {
                return null;
            }
            long lastReal = Long.MIN_VALUE;
            for (int i = n - 1; i >= 0; i--) {
                if (!Values.isStaleNaN(s.value(i))) {
                    lastReal = s.timestamp(i);
                    break;
                }
            }
            return new Seen(s.timestamp(n - 1), lastReal, Values.isStaleNaN(s.value(n - 1)), id);
        }

        /** Of two series of one sandbox (runs labelled apart, or a new catalog id): the later one decides. */
        static Seen later(Seen a, Seen b) {
            Seen last = a.lastMs >= b.lastMs ? a : b;
            Seen real = a.lastRealMs >= b.lastRealMs ? a : b;
            return new Seen(last.lastMs, real.lastRealMs, last.endedStale && last.lastMs >= real.lastRealMs, real.sandboxId);
        }
    }
}

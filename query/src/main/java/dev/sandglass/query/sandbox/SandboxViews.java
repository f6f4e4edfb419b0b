package dev.sandglass.query.sandbox;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Queryable;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntPredicate;

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
    private final SeriesSlots slots = new SeriesSlots();

    public SandboxViews(Queryable store) {
        this(store, DEFAULT_RECENT_MS);
    }

    /** {@code recentMs}: a window that holds the last sample of every running sandbox (a few collection intervals). */
    public SandboxViews(Queryable store, long recentMs) {
        this.store = store;
        this.recentMs = Math.max(1000, recentMs);
    }

    /** Forgets the answers kept for reuse, as a write to the store would (for benchmarks of the read after a change). */
    public void invalidate() {
        cache.clear();
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
        Set<String> endedStale = new HashSet<>();
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

    /**
     * {@link #latest} read from the store, by name in name order; records the sandboxes whose
     * series ended with a staleness marker in {@code endedStale} when not null.
     */
    private Map<String, SandboxStatus> compute(Set<String> names, long nowMs, long sinceMs, Set<String> endedStale) {
        long from = nowMs - Math.min(recentMs, sinceMs);
        long oldest = oldest(nowMs, sinceMs);
        Set<String> filter = names != null && names.size() == 1 ? names : null;
        // By slot: gathered over the windows, put in name order once at the end (no sorted map grown entry by entry).
        SandboxStatus[] bySlot = new SandboxStatus[0];
        // Slots of sandboxes whose series have samples in the store but were not yet found in a window (null: look for all).
        BitSet missing = null;
        List<Samples> pool = new ArrayList<>();
        while (true) {
            BitSet notFound = new BitSet();
            try (Querier q = store.querier(from, nowMs)) {
                String metric = SandboxField.PRESENCE.metric();
                List<Series> presence = q.selectLazily(matchers(metric, filter));
                SeriesSlots.Mapping m = slots.map(filter == null ? metric : null, presence, "sandbox_id");
                // Only the series of sandboxes still looked for are read (a wider window is for the few not found yet).
                BitSet look = missing;
                int[] pos = positions(presence.size(), i -> look != null ? look.get(m.slots()[i]) : names == null || names.contains(m.names()[i]));
                Samples[] lasts = lastOfEach(q, pick(presence, pos), pool);
                LastSeen[] seen = new LastSeen[slots.size()];
                String[] nameOf = new String[seen.length];
                for (int p = 0; p < pos.length; p++) {
                    int i = pos[p];
                    int k = m.slots()[i];
                    LastSeen found = LastSeen.of(presence.get(i), lasts[p], m.label()[i]);
                    if (found == null) {
                        notFound.set(k);
                        continue;
                    }
                    seen[k] = seen[k] == null ? found : LastSeen.later(seen[k], found);
                    nameOf[k] = m.names()[i];
                }
                boolean ready = false;
                for (int k = 0; k < seen.length; k++) {
                    if (seen[k] != null) {
                        // Only a staleness marker in this window: the last real sample is older.
                        boolean older = seen[k].lastRealMs < from;
                        notFound.set(k, older);
                        seen[k] = older ? null : seen[k];
                        ready |= !older;
                    }
                }
                if (ready) {
                    bySlot = Arrays.copyOf(bySlot, Math.max(bySlot.length, seen.length));
                    readPoints(q, seen, nameOf, filter, nowMs, bySlot, pool, endedStale);
                }
            }
            missing = notFound;
            if (missing.isEmpty() || from <= oldest) {
                break;
            }
            long span = nowMs - from;
            from = span > (nowMs - oldest) / 4 ? oldest : nowMs - span * 4;
        }
        Map<String, SandboxStatus> out = new LinkedHashMap<>(bySlot.length * 2);
        for (int k : slots.byName()) {
            if (k < bySlot.length && bySlot[k] != null) {
                out.put(bySlot[k].name(), bySlot[k]);
            }
        }
        return out;
    }

    /**
     * Reads every field at the last-seen time of each sandbox in {@code ready} (by slot, null where
     * none) and puts their statuses in {@code out} by slot (and the names of those ended by a marker in {@code endedStale}).
     */
    private void readPoints(Querier q, LastSeen[] ready, String[] nameOf, Set<String> filter, long nowMs, SandboxStatus[] out,
            List<Samples> pool, Set<String> endedStale) {
        for (LastSeen seen : ready) {
            if (seen != null) {
                seen.values = SandboxPoint.absent();
            }
        }
        for (SandboxField f : SandboxField.all()) {
            List<Series> selected = q.selectLazily(matchers(f.metric(), filter));
            int[] slot = slots.map(filter == null ? f.metric() : null, selected, null).slots();
            int[] pos = positions(slot.length, i -> slot[i] < ready.length && ready[slot[i]] != null);
            List<Series> read = pick(selected, pos);
            Samples[] lasts = lastOfEach(q, read, pool);
            for (int p = 0; p < pos.length; p++) {
                LastSeen at = ready[slot[pos[p]]];
                double v = valueAt(read.get(p), at.lastRealMs, lasts[p]);
                if (!Double.isNaN(v)) {
                    at.values[f.ordinal()] = f.fromStored(v);
                }
            }
        }
        List<Series> runs = q.selectLazily(matchers(SandboxField.RUN_INFO, filter));
        SeriesSlots.Mapping m = slots.map(filter == null ? SandboxField.RUN_INFO : null, runs, "run_id");
        int[] pos = positions(runs.size(), i -> m.slots()[i] < ready.length && ready[m.slots()[i]] != null);
        List<Series> read = pick(runs, pos);
        Samples[] lasts = lastOfEach(q, read, pool);
        for (int p = 0; p < pos.length; p++) {
            LastSeen at = ready[m.slots()[pos[p]]];
            if (!Double.isNaN(valueAt(read.get(p), at.lastRealMs, lasts[p]))) {
                at.runId = m.label()[pos[p]];
            }
        }
        for (int k = 0; k < ready.length; k++) {
            LastSeen s = ready[k];
            if (s != null) {
                String name = nameOf[k];
                SandboxPoint p = new SandboxPoint(name, s.lastRealMs, s.sandboxId, s.runId, s.values, null);
                out[k] = new SandboxStatus(name, running(s.endedStale, s.lastRealMs, nowMs), s.lastRealMs, p);
                if (endedStale != null && s.endedStale) {
                    endedStale.add(name);
                }
            }
        }
    }

    /** The positions i in [0, n) to read. */
    private static int[] positions(int n, IntPredicate keep) {
        int[] out = new int[n];
        int c = 0;
        for (int i = 0; i < n; i++) {
            if (keep.test(i)) {
                out[c++] = i;
            }
        }
        return c == n ? out : Arrays.copyOf(out, c);
    }

    private static List<Series> pick(List<Series> all, int[] pos) {
        if (pos.length == all.size()) {
            return all;
        }
        List<Series> out = new ArrayList<>(pos.length);
        for (int i : pos) {
            out.add(all.get(i));
        }
        return out;
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
}

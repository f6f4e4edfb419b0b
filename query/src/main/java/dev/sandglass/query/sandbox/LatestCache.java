package dev.sandglass.query.sandbox;

import dev.sandglass.storage.api.Querier;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The last fleet-wide answers of {@link SandboxViews}, reused until the store changes. Between two
 * collections every fleet list and every stream tick would read the same samples again; an answer
 * computed at {@code now0} is exactly the answer at a later {@code now1} when the store has not
 * changed since ({@link Querier#changes}), held no sample after {@code now0}, and the asked window
 * starts no earlier: only the running flags (recomputed) and the window's start (filtered) depend
 * on the time. Stores that cannot tell when they change are never cached. Nothing but the answer
 * (at most a few, one per window length) is kept: no second store.
 */
final class LatestCache {
    /** One fleet-wide answer with what it depends on. */
    private record Entry(long changes, long nowMs, boolean exactOnly, long oldestMs, Map<String, SandboxStatus> all, Set<String> endedStale) {
    }

    private static final int ENTRIES = 4;
    private final Map<Long, Entry> bySince = new LinkedHashMap<>();

    /** The store's stamp and newest sample time, from a querier made now (closed here). */
    record Stamp(long changes, long newestMs) {
        static Stamp of(Querier q) {
            try (q) {
                return new Stamp(q.changes(), q.newestTimestamp());
            }
        }
    }

    /** The answer for {@code names} (all when null) at {@code nowMs}, or null when none cached fits. */
    synchronized Map<String, SandboxStatus> get(Stamp stamp, Set<String> names, long nowMs, long oldestMs) {
        if (stamp.changes() < 0) {
            return null;
        }
        for (Entry e : bySince.values()) {
            if (e.changes == stamp.changes() && (e.nowMs == nowMs || !e.exactOnly && e.nowMs < nowMs) && e.oldestMs <= oldestMs) {
                return view(e, names, nowMs, oldestMs);
            }
        }
        return null;
    }

    /**
     * Keeps a fleet-wide answer computed at {@code nowMs} with the stamp taken before computing it.
     * When the store held a sample after {@code nowMs}, a later time could see it: reused at {@code nowMs} only.
     */
    synchronized void put(Stamp stamp, long sinceMs, long nowMs, long oldestMs, Map<String, SandboxStatus> all, Set<String> endedStale) {
        if (stamp.changes() < 0) {
            return;
        }
        bySince.remove(sinceMs);
        bySince.put(sinceMs, new Entry(stamp.changes(), nowMs, stamp.newestMs() > nowMs, oldestMs, all, endedStale));
        if (bySince.size() > ENTRIES) {
            Iterator<Long> it = bySince.keySet().iterator();
            it.next();
            it.remove();
        }
    }

    synchronized void clear() {
        bySince.clear();
    }

    private static Map<String, SandboxStatus> view(Entry e, Set<String> names, long nowMs, long oldestMs) {
        // The whole fleet comes in name order already: kept in that order without sorting it again.
        Map<String, SandboxStatus> out = names == null ? new LinkedHashMap<>(e.all.size() * 2) : new TreeMap<>();
        Iterable<String> keys = names == null ? e.all.keySet() : names;
        for (String name : keys) {
            SandboxStatus s = e.all.get(name);
            if (s == null || s.lastSeenMs() < oldestMs) {
                continue;
            }
            boolean running = SandboxViews.running(e.endedStale.contains(name), s.lastSeenMs(), nowMs);
            out.put(name, running == s.running() ? s : new SandboxStatus(name, running, s.lastSeenMs(), s.latest()));
        }
        return out;
    }
}

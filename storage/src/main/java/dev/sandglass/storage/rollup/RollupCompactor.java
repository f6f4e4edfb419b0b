package dev.sandglass.storage.rollup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges the small excerpts a live store writes (two per seal, one per resolution, every 10
 * minutes: 288 a day) into one per resolution and UTC day once the day is over, so a month of
 * rollups is read as 30 excerpts, not 8,640. The merged excerpt lists the excerpts it replaces;
 * readers skip those from then on (they stay in their cycle file until retention drops it). One
 * append, so a crash leaves either the old excerpts or the merged one in force.
 */
public final class RollupCompactor {
    static final long DAY_MS = 86_400_000L;

    private RollupCompactor() {
    }

    /** Where an excerpt stands in write order: its index, or for a merged one that of the first it replaced. */
    private static long origin(RollupStore.Entry e) {
        long o = e.index();
        for (long x : e.header().supersedes()) {
            o = Math.min(o, x);
        }
        return o;
    }

    /** Compacts every finished day (ending at or before {@code before}); returns how many excerpts it wrote. */
    public static int compact(RollupStore store, long before) {
        // Runs of excerpts of one resolution, adjacent in write order, all within one finished day.
        // A series' parts are in write order (each seal takes all its samples then in the head), so
        // merging only adjacent excerpts never folds a part over another excerpt's part between them.
        Map<Long, List<RollupStore.Entry>> byRes = new TreeMap<>();
        for (RollupStore.Entry e : store.live(Long.MAX_VALUE)) {
            byRes.computeIfAbsent(e.header().resolutionMs(), k -> new ArrayList<>()).add(e);
        }
        List<List<RollupStore.Entry>> runs = new ArrayList<>();
        for (List<RollupStore.Entry> entries : byRes.values()) {
            entries.sort((a, b) -> Long.compare(origin(a), origin(b)));
            List<RollupStore.Entry> run = new ArrayList<>();
            long runDay = Long.MIN_VALUE;
            long runBytes = 0;
            for (RollupStore.Entry e : entries) {
                var h = e.header();
                if (h.refs().size() == 0) {
                    continue; // only covers raw blocks (SealedDuplicates): no window to merge or to keep in order
                }
                long day = Math.floorDiv(h.minT(), DAY_MS);
                boolean fits = Math.floorDiv(h.maxT(), DAY_MS) == day && (day + 1) * DAY_MS <= before;
                // A merged excerpt is never larger than its parts together: cap those so that it
                // stays well inside what the queue takes (many series make a big day).
                if (!fits || day != runDay || runBytes + e.bytes() > RollupStore.MAX_EXCERPT_BYTES / 2) {
                    runs.add(run);
                    run = new ArrayList<>();
                    runBytes = 0;
                    runDay = fits ? day : Long.MIN_VALUE;
                }
                if (fits) {
                    run.add(e);
                    runBytes += e.bytes();
                }
            }
            runs.add(run);
        }
        int written = 0;
        for (List<RollupStore.Entry> group : runs) {
            if (group.size() < 2) {
                continue;
            }
            long res = group.get(0).header().resolutionMs();
            Map<Integer, List<Windows>> parts = new HashMap<>();
            long[] replaced = new long[group.size()];
            // The merged excerpt commits what the replaced ones committed: parts of a write whose
            // last part it replaces keep counting when that part's cycle file is deleted.
            java.util.Set<Long> commits = new java.util.TreeSet<>();
            try (RollupStore.Reader reader = store.reader()) {
                for (int k = 0; k < group.size(); k++) {
                    RollupStore.Entry e = group.get(k);
                    replaced[k] = e.index();
                    for (long x : e.header().commits()) {
                        commits.add(x);
                    }
                    byte[] bytes = reader.read(e);
                    for (int ref : e.header().refs().toArray()) {
                        parts.computeIfAbsent(ref, r -> new ArrayList<>()).add(e.decode(bytes, ref));
                    }
                }
            }
            Map<Integer, Windows> merged = new HashMap<>();
            for (var p : parts.entrySet()) {
                merged.put(p.getKey(), Windows.merge(res, p.getValue()));
            }
            // The run's coverage of raw blocks goes with it, so a cycle file whose excerpts are all
            // replaced can be deleted (RollupRetention). The run's ranges are adjacent: seals and
            // imports append raw blocks and their rollups under one lock, and an open repairs any
            // block left uncovered before it compacts.
            long rawFrom = Long.MAX_VALUE;
            long rawTo = -1;
            for (RollupStore.Entry e : group) {
                if (e.header().rawIndex() >= 0) {
                    rawFrom = Math.min(rawFrom, e.header().rawFrom());
                    rawTo = Math.max(rawTo, e.header().rawIndex());
                }
            }
            byte[] excerpt = RollupCodec.encode(res, merged, rawTo < 0 ? -1 : rawFrom, rawTo, replaced,
                    commits.stream().mapToLong(Long::longValue).toArray());
            if (excerpt != null) {
                store.append(excerpt);
                written++;
            }
        }
        return written;
    }
}

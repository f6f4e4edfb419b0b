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

    /** Compacts every finished day (ending at or before {@code before}); returns how many excerpts it wrote. */
    public static int compact(RollupStore store, long before) {
        Map<String, List<RollupStore.Entry>> groups = new TreeMap<>();
        for (RollupStore.Entry e : store.live(Long.MAX_VALUE)) {
            var h = e.header();
            long day = Math.floorDiv(h.minT(), DAY_MS);
            // Excerpts reaching over a day boundary (imports) are left as they are: they are few and large.
            if (Math.floorDiv(h.maxT(), DAY_MS) != day || (day + 1) * DAY_MS > before) {
                continue;
            }
            groups.computeIfAbsent(h.resolutionMs() + "/" + day, k -> new ArrayList<>()).add(e);
        }
        int written = 0;
        for (List<RollupStore.Entry> group : groups.values()) {
            if (group.size() < 2) {
                continue;
            }
            long res = group.get(0).header().resolutionMs();
            Map<Integer, List<Windows>> parts = new HashMap<>();
            long[] replaced = new long[group.size()];
            try (RollupStore.Reader reader = store.reader()) {
                for (int k = 0; k < group.size(); k++) {
                    RollupStore.Entry e = group.get(k);
                    replaced[k] = e.index();
                    byte[] bytes = reader.read(e);
                    for (int ref : e.header().refs()) {
                        parts.computeIfAbsent(ref, r -> new ArrayList<>()).add(e.decode(bytes, ref));
                    }
                }
            }
            Map<Integer, Windows> merged = new HashMap<>();
            for (var p : parts.entrySet()) {
                merged.put(p.getKey(), Windows.merge(res, p.getValue()));
            }
            byte[] excerpt = RollupCodec.encode(res, merged, -1, -1, replaced);
            if (excerpt != null) {
                store.append(excerpt);
                written++;
            }
        }
        return written;
    }
}

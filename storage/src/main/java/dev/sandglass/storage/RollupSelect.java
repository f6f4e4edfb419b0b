package dev.sandglass.storage;

import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.RollupSeries;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.head.Head;
import dev.sandglass.storage.rollup.RollupCoverage;
import dev.sandglass.storage.rollup.RollupStore;
import dev.sandglass.storage.rollup.Windows;
import dev.sandglass.storage.segment.Block;
import dev.sandglass.storage.segment.BlockHeader;
import dev.sandglass.storage.segment.SegmentStore;
import dev.sandglass.storage.util.Parallel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A querier's view of the rollups: the windows of selected series, from the rollup excerpts and,
 * for data not rolled up yet (the heads, raw blocks a crash left without rollups), computed from
 * the raw samples the same way, so the answer covers everything stored. Bounded by what existed
 * when the querier was made: excerpts and raw blocks up to the indexes seen then, and, while a seal
 * was running, only those from before it (the sealing head is read instead).
 */
final class RollupSelect {
    private final Db db;
    private final Head head;
    private final Head sealing;
    private final long lastRollupIndex;
    private final long lastRawIndex;

    RollupSelect(Db db, Head head, Head sealing, long lastRollupIndex, long lastRawIndex) {
        this.db = db;
        this.head = head;
        this.sealing = sealing;
        this.lastRollupIndex = lastRollupIndex;
        this.lastRawIndex = lastRawIndex;
    }

    List<RollupSeries> select(List<Matcher> matchers, long resolutionMs, long minT, long maxT) {
        int[] refs = db.index().select(matchers);
        // Whole windows; an open end (MIN_VALUE, MAX_VALUE) stays open.
        long from = minT < Long.MIN_VALUE + resolutionMs ? Long.MIN_VALUE : Windows.windowOf(minT, resolutionMs);
        long to = maxT > Long.MAX_VALUE - resolutionMs ? Long.MAX_VALUE : Windows.windowOf(maxT, resolutionMs) + resolutionMs - 1;
        Map<Integer, Integer> slot = new HashMap<>();
        for (int i = 0; i < refs.length; i++) {
            slot.put(refs[i], i);
        }
        // Excerpt bytes are read on this thread (the readers are single-threaded), decoded per series on every core.
        List<byte[]> bytes = new ArrayList<>();
        List<RollupStore.Entry> entries = new ArrayList<>();
        RollupCoverage covered = db.rollups().coverage(lastRollupIndex);
        try (RollupStore.Reader reader = db.rollups().reader()) {
            for (RollupStore.Entry e : db.rollups().live(lastRollupIndex)) {
                var h = e.header();
                if (h.resolutionMs() != resolutionMs || h.maxT() < from || h.minT() > to || !holdsAny(h, refs)) {
                    continue;
                }
                entries.add(e);
                bytes.add(reader.read(e));
            }
        }
        List<Block> raw = new ArrayList<>();
        try (SegmentStore.Reader reader = db.segments().reader()) {
            for (BlockHeader h : db.segments().directory()) {
                if (h.index() <= lastRawIndex && !covered.covers(h.index()) && h.maxT() >= from && h.minT() <= to) {
                    Block b = reader.read(h);
                    b.prepare(refs);
                    raw.add(b);
                }
            }
        }
        // Excerpts in time order: a series' windows then usually follow from one excerpt to the next.
        Integer[] byTime = new Integer[entries.size()];
        for (int k = 0; k < byTime.length; k++) {
            byTime[k] = k;
        }
        java.util.Arrays.sort(byTime, (a, b) -> Long.compare(entries.get(a).header().minT(), entries.get(b).header().minT()));
        RollupSeries[] out = new RollupSeries[refs.length];
        Parallel.forEach(refs.length, i -> {
            int ref = refs[i];
            List<Windows> parts = new ArrayList<>();
            Windows chained = chained(entries, bytes, byTime, ref, resolutionMs);
            if (chained != null) {
                chained.keepWithin(from, to);
                parts.add(chained);
            } else {
                for (int k = 0; k < entries.size(); k++) {
                    Windows w = entries.get(k).decode(bytes.get(k), ref);
                    if (w != null) {
                        parts.add(w.clip(from, to));
                    }
                }
            }
            Samples s = new Samples(64);
            for (Block b : raw) {
                int at = b.indexOf(ref);
                if (at >= 0) {
                    s.reset(64);
                    b.appendTo(at, from, to, s);
                    parts.add(windowsOf(s, resolutionMs));
                }
            }
            db.lock().readLock().lock();
            try {
                for (Head h : new Head[] {sealing, head}) {
                    if (h != null) {
                        s.reset(64);
                        h.copy(ref, from, to, s);
                        parts.add(windowsOf(s, resolutionMs));
                    }
                }
            } finally {
                db.lock().readLock().unlock();
            }
            parts.removeIf(w -> w.size() == 0);
            if (!parts.isEmpty()) {
                // Every part is this request's own: the merged windows are handed over, not copied.
                out[i] = Windows.merge(resolutionMs, parts).handOver(db.index().labels(ref));
            }
        });
        List<RollupSeries> result = new ArrayList<>();
        for (RollupSeries r : out) {
            if (r != null) {
                result.add(r);
            }
        }
        result.sort((a, b) -> a.labels().compareTo(b.labels()));
        return result;
    }

    /**
     * The series' windows from every excerpt decoded straight into one Windows, in time order,
     * without a part per excerpt; null when they do not follow one another (then they are merged).
     */
    private static Windows chained(List<RollupStore.Entry> entries, List<byte[]> bytes, Integer[] byTime, int ref, long res) {
        int n = 0;
        for (RollupStore.Entry e : entries) {
            n += e.windows(ref);
        }
        Windows w = new Windows(res, n);
        for (int k : byTime) {
            if (!entries.get(k).decodeOnto(bytes.get(k), ref, w)) {
                return null;
            }
        }
        return w;
    }

    private static boolean holdsAny(dev.sandglass.storage.rollup.RollupCodec.Header h, int[] refs) {
        for (int ref : refs) {
            if (h.indexOf(ref) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static Windows windowsOf(Samples s, long resolutionMs) {
        Windows w = new Windows(resolutionMs, 8);
        w.addAll(s.timestamps(), s.values(), 0, s.size());
        return w;
    }

    /**
     * The earliest time raw samples are kept from, when rollups hold anything older (retention
     * dropped the raw data there); Long.MIN_VALUE when raw data covers all there is.
     */
    long rawStartMs() {
        long raw = Long.MAX_VALUE;
        for (BlockHeader h : db.segments().directory()) {
            if (h.index() <= lastRawIndex) {
                raw = Math.min(raw, h.minT());
            }
        }
        db.lock().readLock().lock();
        try {
            raw = Math.min(raw, head.minT());
            if (sealing != null) {
                raw = Math.min(raw, sealing.minT());
            }
        } finally {
            db.lock().readLock().unlock();
        }
        long rolled = Long.MAX_VALUE;
        long rolledMax = Long.MIN_VALUE;
        for (RollupStore.Entry e : db.rollups().counted(lastRollupIndex)) {
            rolled = Math.min(rolled, e.header().minT());
            rolledMax = Math.max(rolledMax, e.header().maxT());
        }
        if (raw == Long.MAX_VALUE) {
            // No raw sample left at all (an old import under a short --retention): everything the
            // rollups hold is before the raw data, which would start after their last sample.
            return rolled == Long.MAX_VALUE ? Long.MIN_VALUE : rolledMax + 1;
        }
        return rolled < raw ? raw : Long.MIN_VALUE;
    }
}
